// Redis killed, brought back and frozen under a running service that throttles through it.
import { expect, it, onTestFinished } from 'vitest';
import { startRedisServer } from '../redis-server.ts';
import { startService } from '../service-process.ts';
import { createTestDatabase } from '../setup/postgres-database.ts';
import {
  call,
  eventually,
  recordingLambda,
  serviceEnv,
  signUpUsers,
  sleep,
  startLoad,
} from './load.ts';

it('keeps answering without a 5xx and keeps limiting while Redis is killed, restarted and frozen', async () => {
  const database = await createTestDatabase();
  onTestFinished(() => database.drop());
  const lambda = await recordingLambda();
  onTestFinished(() => lambda.close());
  const redis = await startRedisServer();
  onTestFinished(async () => {
    await redis.stop();
  });
  const service = await startService({
    ...serviceEnv(database.url, lambda.url),
    REDIS_URL: redis.url,
    THROTTLE_USER_RATE: '30/min',
  });
  onTestFinished(async () => {
    await service.stop();
  });
  const ready = async () => (await call(service.url, 'GET', '/readyz')).status;

  const tokens = await signUpUsers(service.url, 4);
  const load = startLoad(service.url, tokens, 2, 10);
  expect(await eventually(() => load.count('before', 429) > 0, 10_000)).toBe(true);

  load.phase('killed');
  await redis.kill();
  // Each instance's own limiter takes over with a budget of its own: some pass, then 429 again.
  const passed = (phase: string) => load.count(phase, 201) + load.count(phase, 200);
  expect(
    await eventually(() => passed('killed') > 0 && load.count('killed', 429) > 0, 10_000),
  ).toBe(true);
  const readiness = await call(service.url, 'GET', '/readyz');
  expect(readiness.status).toBe(503);
  expect(readiness.body).toMatchObject({ checks: { database: 'ok', redis: 'unavailable' } });

  load.phase('restarted');
  await redis.start();
  expect(await eventually(async () => (await ready()) === 200, 10_000)).toBe(true);
  await sleep(300);

  // A Redis that hangs costs each request at most the command timeout.
  load.phase('frozen');
  redis.freeze();
  await sleep(200);
  const started = performance.now();
  const during = await call(service.url, 'GET', '/api/me/', { token: tokens[0] });
  expect(performance.now() - started).toBeLessThan(1000);
  expect([200, 429]).toContain(during.status);
  await sleep(500);
  redis.thaw();
  await load.stop();

  const { ledger } = load;
  expect(ledger.refusals.filter((answer) => answer.status !== 429)).toEqual([]);
  for (const phase of ['before', 'restarted']) expect(passed(phase), phase).toBeGreaterThan(0);
  expect(service.logs.filter((line) => Number(line.status) >= 500)).toEqual([]);
  console.info(
    `Redis outage: ${[...ledger.statuses].map(([key, n]) => `${key}: ${n}`).join(', ')}`,
  );
}, 60_000);
