import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished, vi } from 'vitest';
import { runToExit } from '../service-process.ts';

/** Runs `body` in a node process of its own, after `server` is started on a fresh data dir. */
async function runWithCluster(body: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'task-api-exit-'));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  const script = `
    import { readFile } from 'node:fs/promises';
    import { startEmbeddedPostgres } from './src/adapters/persistence/embedded-postgres.ts';
    const dataDir = ${JSON.stringify(dataDir)};
    const server = await startEmbeddedPostgres({ dataDir, throwaway: true });
    ${body}
  `;
  return runToExit({}, [process.execPath, '--input-type=module', '-e', script]);
}

// embedded-postgres's exit hooks once ended every process that loaded it with code 0 when its
// event loop emptied, whatever code it had set: the test run (whose setup loads it) passed with
// failing tests.
it('leaves the exit code of a process that ran it alone', async () => {
  const { code, stderr } = await runWithCluster('await server.stop(); process.exitCode = 3;');
  expect(stderr).toBe('');
  expect(code).toBe(3);
}, 60_000);

it('stops the PostgreSQL a process started when it exits without stopping it', async () => {
  const { code, stdout } = await runWithCluster(`
    console.log((await readFile(dataDir + '/postgres/postmaster.pid', 'utf8')).split('\\n')[0]);
    process.exit(4);
  `);
  expect(code).toBe(4);
  const alive = () => {
    try {
      return process.kill(Number(stdout.trim()), 0);
    } catch {
      return false;
    }
  };
  await vi.waitFor(() => expect(alive()).toBe(false), { timeout: 10_000 });
}, 60_000);
