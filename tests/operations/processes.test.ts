import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalLambda } from '../../lambda/local-endpoint.ts';
import { startRedisServer } from '../redis-server.ts';
import { type ServiceProcess, startService } from '../service-process.ts';
import { createTestDatabase } from '../setup/postgres-database.ts';

const PASSWORD = 'correct horse battery';
const SECRET = 'a-shared-secret-of-at-least-thirty-two-bytes';

const cleanups: (() => Promise<unknown>)[] = [];
let databaseUrl: string;

beforeEach(async () => {
  const database = await createTestDatabase();
  databaseUrl = database.url;
  cleanups.push(() => database.drop());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startService({
    DATABASE_URL: databaseUrl,
    JWT_SECRET: SECRET,
    BCRYPT_COST: '4',
    ...env,
  });
  cleanups.push(() => service.stop());
  return service;
}

function call(
  service: ServiceProcess,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) {
  return fetch(`${service.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...(token && { Authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function signUp(service: ServiceProcess, username: string): Promise<string> {
  expect((await call(service, 'POST', '/register/', { username, password: PASSWORD })).status).toBe(
    201,
  );
  const response = await call(service, 'POST', '/api/token/', { username, password: PASSWORD });
  return ((await response.json()) as { access: string }).access;
}

describe('graceful shutdown', () => {
  it('lets requests in flight when SIGTERM arrives finish with 200, then exits 0', async () => {
    // bcrypt at cost 13 keeps four logins busy for a couple of seconds together. SIGTERM comes
    // once they have surely reached the server: a connection whose request has not arrived yet
    // is idle, and closing idle connections is what a stopping server does.
    const service = await start({ BCRYPT_COST: '13' });
    await signUp(service, 'ada');
    const logins = Array.from({ length: 4 }, () =>
      call(service, 'POST', '/api/token/', { username: 'ada', password: PASSWORD }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const exit = service.stop();
    const statuses = await Promise.all(logins.map(async (login) => (await login).status));
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(await exit).toBe(0);
    expect(service.logs.map((line) => line.msg)).toContain('stopped');
  }, 60_000);
});

describe('WEB_CONCURRENCY', () => {
  it('serves from that many workers on one port and reports their metrics together', async () => {
    const service = await start({ WEB_CONCURRENCY: '2' });
    await vi.waitFor(
      () =>
        expect(
          service.logs.filter(
            (line) => line.msg === `listening on http://0.0.0.0:${new URL(service.url).port}`,
          ),
        ).toHaveLength(2),
      { timeout: 10_000 },
    );
    for (let i = 0; i < 10; i++) expect((await call(service, 'GET', '/healthz')).status).toBe(200);
    const metrics = await (await call(service, 'GET', '/metrics')).text();
    expect(metrics).toContain(
      'http_requests_total{method="GET",route="/healthz/",status="200"} 10',
    );
    expect(await service.stop()).toBe(0);
  }, 30_000);
});

describe('two instances on one database and one Redis', () => {
  it('share tasks, one throttling budget, and send each notification once', async () => {
    const redis = await startRedisServer();
    cleanups.push(async () => redis.stop());
    const received: string[] = [];
    const lambda = await startLocalLambda({
      port: 0,
      handler: (event) => {
        received.push((event as { event_id: string }).event_id);
        return { statusCode: 200 };
      },
    });
    cleanups.push(() => lambda.close());
    const env = {
      REDIS_URL: redis.url,
      THROTTLE_USER_RATE: '30/min',
      LAMBDA_FUNCTION_NAME: 'task-completed',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    };
    const [one, two] = await Promise.all([start(env), start(env)]);

    const ada = await signUp(one, 'ada');
    const created = await call(one, 'POST', '/api/tasks/', { title: 'Seen everywhere' }, ada);
    const { id } = (await created.json()) as { id: number };
    expect((await call(two, 'GET', `/api/tasks/${id}/`, undefined, ada)).status).toBe(200);

    for (let i = 0; i < 10; i++) {
      const instance = i % 2 === 0 ? one : two;
      const response = await call(
        instance,
        'POST',
        '/api/tasks/',
        { title: `Done ${i}`, status: 'completed' },
        ada,
      );
      expect(response.status).toBe(201);
    }
    await vi.waitFor(() => expect(received).toHaveLength(10), { timeout: 10_000 });

    // 2 + 10 requests so far; the budget of 30 is one, whichever instance spends it.
    const statuses: number[] = [];
    for (let i = 0; i < 19; i++)
      statuses.push(
        (await call(i % 2 === 0 ? two : one, 'GET', '/api/me/', undefined, ada)).status,
      );
    expect(statuses.slice(0, 18).every((status) => status === 200)).toBe(true);
    expect(statuses[18]).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(new Set(received).size).toBe(10);
    expect(received).toHaveLength(10);
  }, 40_000);
});
