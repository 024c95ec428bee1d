import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import {
  type PostgresServer,
  startEmbeddedPostgres,
} from '../src/adapters/persistence/embedded-postgres.ts';
import { MIGRATIONS } from '../src/adapters/persistence/mikro-orm/migrations/index.ts';
import { runToExit, type ServiceProcess, startService } from './service-process.ts';

const PASSWORD = 'correct horse battery';
// An empty DATABASE_URL counts as unset, whatever the environment running the tests has.
const EMBEDDED = { BCRYPT_COST: '4', DATABASE_URL: '' };

async function start(env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startService(env);
  onTestFinished(async () => {
    await service.stop();
  });
  return service;
}

async function temporaryDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'task-api-main-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function post(service: ServiceProcess, path: string, body: unknown, token?: string) {
  return fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token && { Authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
}

async function logIn(service: ServiceProcess, username: string): Promise<string> {
  const response = await post(service, '/api/token', { username, password: PASSWORD });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access: string }).access;
}

it('starts on an embedded PostgreSQL, stops cleanly on SIGTERM and keeps its data', async () => {
  const dataDir = await temporaryDirectory();
  const first = await start({ ...EMBEDDED, DATA_DIR: dataDir });
  expect((await post(first, '/register/', { username: 'ada', password: PASSWORD })).status).toBe(
    201,
  );
  const created = await post(
    first,
    '/api/tasks/',
    { title: 'Survive a restart' },
    await logIn(first, 'ada'),
  );
  expect(created.status).toBe(201);
  expect(first.logs.map((line) => line.msg)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^using the embedded PostgreSQL in .*postgres, on 127\.0\.0\.1:\d+/),
      `database migrated: applied ${MIGRATIONS.length} migration${MIGRATIONS.length === 1 ? '' : 's'}`,
    ]),
  );
  expect(await first.stop()).toBe(0);

  const second = await start({ ...EMBEDDED, DATA_DIR: dataDir });
  const tasks = await fetch(`${second.url}/api/tasks/`, {
    headers: { Authorization: `Bearer ${await logIn(second, 'ada')}` },
  });
  const titles = ((await tasks.json()) as { title: string }[]).map((task) => task.title);
  expect(titles).toEqual(['Survive a restart']);
  expect(second.logs.map((line) => line.msg)).toContain(
    'database schema is up to date: no migration pending',
  );
  expect(await second.stop()).toBe(0);
  expect(JSON.stringify([...first.logs, ...second.logs])).not.toContain(PASSWORD);
}, 60_000);

it('stops at start with one line for each missing or malformed setting, secrets not shown', async () => {
  const { code, stderr, stdout } = await runToExit({
    NODE_ENV: 'production',
    THROTTLE_ANON_RATE: '20/fortnight',
    JWT_SECRET: 'a-secret-of-31-bytes-only-xxxxx',
    DATABASE_URL: 'postgres://task_api:secret-password@db:5432/task_api',
    LAMBDA_FUNCTION_NAME: '',
    NOTIFIER: '',
  });
  expect(code).toBe(1);
  expect(stderr.trim().split('\n')).toEqual([
    'Invalid configuration: JWT_SECRET must be at least 32 bytes (got 31 bytes).',
    'Invalid configuration: THROTTLE_ANON_RATE must look like "20/min" (got "20/fortnight").',
    'Invalid configuration: LAMBDA_FUNCTION_NAME (the function to invoke) or NOTIFIER=in-process must be set when NODE_ENV=production.',
  ]);
  expect(stderr).not.toMatch(/a-secret|secret-password/);
  expect(stdout).toBe('');
}, 20_000);

it('stops at start with one line when PostgreSQL is unreachable', async () => {
  const { code, stderr, stdout } = await runToExit({
    DATABASE_URL: 'postgres://task_api:secret-password@127.0.0.1:1/task_api',
  });
  expect(code).toBe(1);
  expect(stderr).toBe(
    'Cannot connect to PostgreSQL at 127.0.0.1:1/task_api: connect ECONNREFUSED 127.0.0.1:1\n',
  );
  expect(stdout).toBe('');
}, 20_000);

it('answers 503 while PostgreSQL is down and recovers by itself when it returns', async () => {
  const dataDir = await temporaryDirectory();
  let postgres: PostgresServer = await startEmbeddedPostgres({ dataDir, throwaway: true });
  onTestFinished(() => postgres.stop());
  const port = Number(new URL(postgres.url).port);
  const service = await start({ BCRYPT_COST: '4', DATABASE_URL: postgres.url });
  expect((await post(service, '/register/', { username: 'ada', password: PASSWORD })).status).toBe(
    201,
  );
  const token = await logIn(service, 'ada');
  const listTasks = () =>
    fetch(`${service.url}/api/tasks/`, { headers: { Authorization: `Bearer ${token}` } });

  await postgres.stop();

  const down = await listTasks();
  expect(down.status).toBe(503);
  expect(down.headers.get('Content-Type')).toBe('application/problem+json');
  expect(await down.json()).toMatchObject({
    status: 503,
    detail: 'The database is unavailable; try again shortly.',
    code: 'database_unavailable',
  });
  expect((await post(service, '/api/tasks/', { title: 'Lost?' }, token)).status).toBe(503);
  expect((await fetch(`${service.url}/readyz`)).status).toBe(503);

  postgres = await startEmbeddedPostgres({ dataDir, throwaway: true, port });
  await expect.poll(async () => (await listTasks()).status, { timeout: 10_000 }).toBe(200);
  expect((await post(service, '/api/tasks/', { title: 'Back' }, token)).status).toBe(201);
  await expect
    .poll(() => service.logs.map((line) => line.msg), { timeout: 10_000 })
    .toContain('listening for outbox events again');
  expect(JSON.stringify(service.logs)).not.toMatch(/select|insert|update .* set/i);
}, 60_000);
