import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The development signing key: generated on first start and kept, so tokens survive restarts.
 * Production must set JWT_SECRET instead (config refuses to start without it).
 */
export async function localSecret(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(48).toString('base64url');
  await mkdir(dirname(path), { recursive: true });
  // 'wx' fails if another process created it meanwhile; then that one's secret is the one to use.
  await writeFile(path, secret, { mode: 0o600, flag: 'wx' }).catch(async (error) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(path, 'utf8')).trim();
}
