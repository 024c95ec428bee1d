/*
 * `node --import ./scripts/jsx-loader.ts <entry>`: lets Node run the source of the service, whose
 * console pages are .tsx, which Node's own type stripping refuses. Only .tsx files are compiled
 * here, by the esbuild that `npm run build` bundles with and under the same tsconfig.json; every
 * .ts file is still stripped by Node itself. The hooks run in this thread, so the other modules
 * load as fast as without them. Vitest and the production bundle compile .tsx on their own.
 */
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const tsconfig = JSON.parse(readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8'));

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !new URL(url).pathname.endsWith('.tsx'))
      return nextLoad(url, context);
    const path = fileURLToPath(url);
    const { code } = transformSync(readFileSync(path, 'utf8'), {
      loader: 'tsx',
      format: 'esm',
      tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
      sourcefile: path,
      // Read only under --enable-source-maps: stack traces then name the .tsx lines.
      sourcemap: 'inline',
    });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
