import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** Scalar's browser bundle as served: the script, its gzip form and an ETag. */
export interface ScalarBundle {
  script: Uint8Array<ArrayBuffer>;
  gzipped: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** Where `npm run build` puts the bundle, beside dist/main.js. */
export const BUILT_BUNDLE = 'scalar-api-reference.js';

/**
 * A production install leaves development dependencies out, so the build copies the bundle next
 * to the service's own; running from source, it is read from the package, which package-lock.json
 * pins.
 */
function locations(): URL[] {
  const built = new URL(`./${BUILT_BUNDLE}`, import.meta.url);
  try {
    return [built, new URL('browser/standalone.js', import.meta.resolve('@scalar/api-reference'))];
  } catch {
    return [built];
  }
}

async function load(): Promise<ScalarBundle> {
  for (const location of locations()) {
    const script = await readFile(location).catch(() => null);
    if (!script) continue;
    const etag = `"${createHash('sha256').update(script).digest('base64url').slice(0, 27)}"`;
    return { script, gzipped: await promisify(gzip)(script), etag };
  }
  throw new Error('Scalar browser bundle not found: run npm ci (or npm run build)');
}

let bundle: Promise<ScalarBundle> | undefined;

/** Read and compressed once, on the first request for it: 5 MB that most processes never serve. */
export function scalarBundle(): Promise<ScalarBundle> {
  bundle ??= load().catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}
