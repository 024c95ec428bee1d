// `npm start` and its companions as a person or a process manager runs them: through npm, on the
// embedded PostgreSQL, signalled at the pid npm has.
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished, vi } from 'vitest';
import {
  runToExit,
  type ServiceProcess,
  startNpmScript,
  startService,
} from '../service-process.ts';
import { adminQuery } from '../setup/postgres-admin.ts';

const PASSWORD = 'correct horse battery';
// An empty DATABASE_URL counts as unset, whatever the environment running the tests has.
const EMBEDDED = { BCRYPT_COST: '4', DATABASE_URL: '', SHUTDOWN_TIMEOUT: '10s' };
const SHUTDOWN_TIMEOUT_MS = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The first line of a pid file: the service's in postgres.owner, PostgreSQL's in postmaster.pid. */
async function pidIn(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8')).split('\n')[0]);
}

async function processesOf(service: ServiceProcess) {
  return {
    node: await pidIn(join(service.dataDir, 'postgres.owner')),
    postgres: await pidIn(join(service.dataDir, 'postgres', 'postmaster.pid')),
  };
}

// One data directory for the whole file, as on a developer's checkout: the cluster is created once
// (the slow part of a first start), and each test starts and stops the service on it.
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'task-api-npm-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function npmStart(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = await startNpmScript('start', { ...EMBEDDED, DATA_DIR: dataDir, ...env });
  onTestFinished(async () => {
    await service.stop();
  });
  return service;
}

/** `npm run -s <script>` to completion, on the file's data directory unless told otherwise. */
const runNpm = (script: string, env: Record<string, string> = {}) =>
  runToExit({ ...EMBEDDED, DATA_DIR: dataDir, ...env }, ['npm', 'run', '-s', script]);

const post = (service: ServiceProcess, path: string, body: unknown, token?: string) =>
  fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token && { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });

async function logIn(service: ServiceProcess): Promise<string> {
  const response = await post(service, '/api/token/', { username: 'ada', password: PASSWORD });
  return ((await response.json()) as { access: string }).access;
}

it.each(['SIGTERM', 'SIGINT'] as const)(
  '%s to the npm start process stops node and its PostgreSQL within SHUTDOWN_TIMEOUT',
  async (signal) => {
    const service = await npmStart();
    const { node, postgres } = await processesOf(service);
    expect(node).not.toBe(service.child.pid);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    const sent = Date.now();
    service.child.kill(signal);
    await vi.waitFor(() => expect([isAlive(node), isAlive(postgres)]).toEqual([false, false]), {
      timeout: SHUTDOWN_TIMEOUT_MS,
      interval: 50,
    });

    expect(Date.now() - sent).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(service.logs.map((line) => line.msg)).toContain('stopped');
  },
  60_000,
);

it('stops node and its PostgreSQL when npm itself is killed, passing no signal on', async () => {
  const service = await npmStart();
  const { node, postgres } = await processesOf(service);

  service.child.kill('SIGKILL');
  await once(service.child, 'exit');

  // Noticed within a second, then the same stop as on SIGTERM.
  await vi.waitFor(() => expect([isAlive(node), isAlive(postgres)]).toEqual([false, false]), {
    timeout: 1000 + SHUTDOWN_TIMEOUT_MS,
    interval: 50,
  });
  await vi.waitFor(() =>
    expect(service.logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['npm, which started this process, has exited', 'stopped']),
    ),
  );
}, 60_000);

it('refuses a second npm start on a data directory in use, naming the pid; commands share it', async () => {
  const first = await npmStart();
  const { node } = await processesOf(first);

  const second = await runToExit({ ...EMBEDDED, DATA_DIR: dataDir, PORT: '0' }, [
    'npm',
    'start',
    '--silent',
  ]);
  expect(second.code).toBe(1);
  expect(second.stderr.trim()).toBe(
    `${join(dataDir, 'postgres')} is in use by pid ${node} (node --import ./scripts/jsx-loader.ts src/main.ts): stop that process first, or give this one a DATA_DIR of its own.`,
  );

  const migrate = await runNpm('migrate');
  expect(migrate.code).toBe(0);
  expect(migrate.stdout).toContain('database schema is up to date');
  expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

  expect(await first.stop()).toBe(0);
  const later = await npmStart();
  expect((await fetch(`${later.url}/readyz`)).status).toBe(200);
}, 90_000);

it('npm run dispatcher attaches to the embedded PostgreSQL and delivers across an API restart', async () => {
  const alone = await runNpm('dispatcher');
  expect(alone.code).toBe(1);
  expect(alone.stderr.trim()).toBe(
    `The embedded PostgreSQL in ${join(dataDir, 'postgres')} is not running: start the API first (npm start), or set DATABASE_URL.`,
  );

  const env = { OUTBOX_DISPATCHER: 'off', OUTBOX_POLL_INTERVAL: '1s' };
  let api = await npmStart(env);
  const dispatcher = await startNpmScript(
    'dispatcher',
    { ...EMBEDDED, DATA_DIR: dataDir, ...env },
    (msg) => msg.startsWith('notification dispatcher started'),
  );
  onTestFinished(async () => {
    await dispatcher.stop();
  });
  const delivered = () =>
    dispatcher.logs.map((line) => line.msg).filter((msg) => String(msg).startsWith('Lambda'));
  const complete = async (title: string) => {
    const created = await post(
      api,
      '/api/tasks/',
      { title, status: 'completed' },
      await logIn(api),
    );
    expect(created.status).toBe(201);
  };
  // 400 when an earlier test of this file registered her already.
  await post(api, '/register/', { username: 'ada', password: PASSWORD });

  await complete('Before');
  await vi.waitFor(() =>
    expect(delivered()).toEqual([
      "Lambda Notification: Task 'Before' assigned to Unassigned is now completed.",
    ]),
  );

  const address = (service: ServiceProcess) =>
    service.logs.find((line) => String(line.msg).startsWith('using the embedded'))?.msg;
  const before = address(api);
  expect(await api.stop()).toBe(0);
  api = await npmStart(env);
  // The same port as before, where the dispatcher's connections find it again.
  expect(address(api)).toBe(before);
  await complete('After');
  await vi.waitFor(() => expect(delivered()).toHaveLength(2), { timeout: 15_000 });

  const url = await runNpm('db:url');
  expect(url.code).toBe(0);
  const rows = await adminQuery<{ n: number }>(
    url.stdout.trim(),
    "select count(*)::int as n from tasks where title in ('Before', 'After')",
  );
  expect(rows).toEqual([{ n: 2 }]);

  expect(await dispatcher.stop()).toBe(0);
  expect(dispatcher.logs.map((line) => line.msg)).toContain('stopped');
}, 120_000);

it('npm run db:url says when there is no embedded PostgreSQL yet', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'task-api-empty-'));
  onTestFinished(() => rm(empty, { recursive: true, force: true }));
  const { code, stdout, stderr } = await runNpm('db:url', { DATA_DIR: empty });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^No embedded PostgreSQL in .*postgres yet: npm start creates it\.\n$/);
}, 20_000);

it('serves only on HOST and logs the address really bound', async () => {
  const service = await startService({ ...EMBEDDED, DATA_DIR: dataDir, HOST: '127.0.0.2' });
  onTestFinished(async () => {
    await service.stop();
  });
  const port = new URL(service.url).port;
  expect(service.logs).toContainEqual(
    expect.objectContaining({
      address: '127.0.0.2',
      msg: `listening on http://127.0.0.2:${port}`,
    }),
  );
  expect((await fetch(`http://127.0.0.2:${port}/healthz`)).status).toBe(200);
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
}, 60_000);
