import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const DEFAULT_OUT_DIR = fileURLToPath(new URL('./dist/', import.meta.url));
const ENTRY = fileURLToPath(new URL('./handler.ts', import.meta.url));
// A fixed timestamp keeps the zip byte-identical for identical code, so Lambda's CodeSha256
// changes only when the code does.
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');
// Lambda needs the file world-readable; without Unix attributes some extractors drop them.
const UNIX = 3;
const READABLE_FILE = 0o100644 << 16;

export interface LambdaPackage {
  bundlePath: string;
  zipPath: string;
}

/** Bundles the handler into index.mjs and zips it at the root, for `index.handler` on nodejs24.x. */
export async function packageLambda(outDir: string = DEFAULT_OUT_DIR): Promise<LambdaPackage> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    write: false,
    logLevel: 'silent',
  });
  const [bundle] = result.outputFiles;
  if (bundle === undefined) throw new Error('esbuild produced no output');

  await mkdir(outDir, { recursive: true });
  const bundlePath = join(outDir, 'index.mjs');
  const zipPath = join(outDir, 'notifier.zip');
  const zip = zipSync(
    { 'index.mjs': [bundle.contents, { mtime: ZIP_MTIME, os: UNIX, attrs: READABLE_FILE }] },
    { level: 9 },
  );
  await writeFile(bundlePath, bundle.contents);
  await writeFile(zipPath, zip);
  return { bundlePath, zipPath };
}

if (import.meta.main) {
  const { zipPath } = await packageLambda();
  console.log(`Packaged ${zipPath} (runtime nodejs24.x, handler index.handler)`);
}
