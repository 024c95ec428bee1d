import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { packageLambda } from './package.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lambda-package-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('packageLambda', () => {
  it('zips a self-contained index.mjs whose handler works', async () => {
    const { zipPath, bundlePath } = await packageLambda(join(dir, 'dist'));

    const entries = unzipSync(await readFile(zipPath));
    expect(Object.keys(entries)).toEqual(['index.mjs']);
    const code = entries['index.mjs'] as Uint8Array;
    expect(Buffer.from(code).equals(await readFile(bundlePath))).toBe(true);
    expect(new TextDecoder().decode(code)).not.toMatch(/^\s*import\s/m);

    const extracted = join(dir, 'extracted', 'index.mjs');
    await mkdir(join(dir, 'extracted'));
    await writeFile(extracted, code);
    const bundled = await import(pathToFileURL(extracted).href);

    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const result = await bundled.handler({ task_title: 'Ship it', assigned_to: 'zoë' });
      expect(result).toEqual({
        statusCode: 200,
        body: '{"message": "Task \'Ship it\' assigned to zo\\u00eb is now completed."}',
      });
      expect(log).toHaveBeenCalledWith(
        "Lambda Notification: Task 'Ship it' assigned to zoë is now completed.",
      );
    } finally {
      log.mockRestore();
    }
  });

  it('produces the same zip bytes for the same code', async () => {
    const first = await readFile((await packageLambda(join(dir, 'a'))).zipPath);
    const second = await readFile((await packageLambda(join(dir, 'b'))).zipPath);

    expect(first.equals(second)).toBe(true);
  });
});
