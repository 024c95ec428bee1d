import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseSize, redisRateLimiter } from '../../src/adapters/throttling/rate-limiters.ts';
import {
  connectRedis,
  type RedisConnection,
} from '../../src/adapters/throttling/redis-connection.ts';
import type { Rate } from '../../src/config.ts';
import { harness } from '../harness.ts';
import { reachable, startRedisServer, TEST_REDIS_URL } from '../redis-server.ts';

const available = await reachable(TEST_REDIS_URL);
if (!available) {
  if (process.env.CI)
    throw new Error(`Redis is required in CI and does not answer at ${TEST_REDIS_URL}`);
  console.warn(
    `\n*** SKIPPED: the Redis throttling tests; nothing answers at ${TEST_REDIS_URL} ***\n`,
  );
}

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connects, and waits until the client is ready so the first request is not a fallback. */
async function connected(url: string): Promise<RedisConnection> {
  const redis = connectRedis(url, silent);
  for (let i = 0; i < 100 && !redis.client.isReady; i++) await sleep(20);
  return redis;
}

/** A limiter factory whose policies live under names no other test run uses. */
const isolated = (redis: RedisConnection) => {
  const run = randomUUID().slice(0, 8);
  return (name: string, rate: Rate) => redisRateLimiter(`${name}-${run}`, rate, redis);
};

describe.skipIf(!available)('Redis-backed throttling', () => {
  let redis: RedisConnection;
  beforeAll(async () => {
    redis = await connected(TEST_REDIS_URL);
  });
  afterAll(() => redis.close());

  it('keeps its counters in Redis, with the same edges as in memory', async () => {
    const limiter = isolated(redis)('user', { points: 2, durationSeconds: 60 });
    const states = [];
    for (let i = 0; i < 3; i++) states.push(await limiter.consume('k'));
    expect(states).toEqual([
      { allowed: true, remaining: 1, resetSeconds: 60 },
      { allowed: true, remaining: 0, resetSeconds: 60 },
      { allowed: false, remaining: 0, resetSeconds: 60 },
    ]);
    expect(await redis.client.get(`throttle:${limiter.name}:k`)).toBe('3');
    await limiter.reset('k');
    expect((await limiter.peek('k')).remaining).toBe(2);
  });

  it('spends a large budget in leases, one round trip per lease, never past the limit', async () => {
    const policy = isolated(redis);
    const [one, two] = [
      policy('user', { points: 100, durationSeconds: 60 }),
      policy('user', { points: 100, durationSeconds: 60 }),
    ] as const;
    expect(leaseSize({ points: 100, durationSeconds: 60 })).toBe(5);
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await one.consume('k')).remaining);
    expect(first).toEqual([99, 98, 97]);
    expect(await redis.client.get(`throttle:${one.name}:k`)).toBe('5');
    // Two instances on one counter: each holds at most a lease less one unused.
    let allowed = 3;
    for (let i = 0; i < 150; i++)
      if ((await (i % 2 ? one : two).consume('k')).allowed) allowed += 1;
    expect(allowed).toBeLessThanOrEqual(100);
    expect(allowed).toBeGreaterThanOrEqual(100 - 4);
    // What short leases took beyond the budget went back: the limit, plus one per refusal.
    expect(Number(await redis.client.get(`throttle:${one.name}:k`))).toBe(100 + (153 - allowed));
    await one.reset('k');
    expect((await one.consume('k')).remaining).toBe(99);
  });

  it('resets when the window ends', async () => {
    const limiter = isolated(redis)('user', { points: 1, durationSeconds: 1 });
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(false);
    await sleep(1100);
    expect((await limiter.consume('k')).allowed).toBe(true);
  });

  it('gives two app instances on one Redis one shared budget per user', async () => {
    const limiter = isolated(redis);
    const one = await harness({ rates: { user: { points: 3, durationSeconds: 60 } }, limiter });
    const two = await harness({ rates: { user: { points: 3, durationSeconds: 60 } }, limiter });
    // Both instances sign the same user's tokens with the same secret, as a deployment would,
    // and know the same user: the first of each instance's own store.
    const ada = await one.signUp();
    await two.signUp({ username: ada.username });
    const statuses = [];
    for (const instance of [one, two, one, two])
      statuses.push((await instance.request('GET', '/api/tasks/', { token: ada.token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('shares login-failure blocking between instances', async () => {
    const limiter = isolated(redis);
    const rates = { loginFailures: { points: 1, durationSeconds: 60 } };
    const one = await harness({ rates, limiter });
    const two = await harness({ rates, limiter });
    const attempt = (h: typeof one) =>
      h.request('POST', '/api/token/', { json: { username: 'ada', password: 'wrong password' } });
    expect((await attempt(one)).status).toBe(400);
    expect((await attempt(two)).status).toBe(429);
  });
});

describe('when Redis fails', () => {
  it('falls back to per-instance limits within one request, and returns to Redis', async () => {
    const server = await startRedisServer();
    const redis = await connected(server.url);
    const rates = { user: { points: 5, durationSeconds: 60 } };
    const one = await harness({ rates, limiter: isolated(redis) });
    const ada = await one.signUp();
    const get = () => one.request('GET', '/api/me/', { token: ada.token });
    try {
      expect((await get()).status).toBe(200);
      await server.kill();
      // Never a 5xx, never unlimited: the insurance limiter counts from zero and stops at 5.
      const during = [];
      for (let i = 0; i < 6; i++) during.push((await get()).status);
      expect(during).toEqual([200, 200, 200, 200, 200, 429]);

      await server.start();
      for (let i = 0; i < 100 && !redis.client.isReady; i++) await sleep(50);
      expect(redis.client.isReady).toBe(true);
      // Back on the fresh Redis: a new count, kept in Redis again.
      const after = await get();
      expect(after.status).toBe(200);
      expect(after.headers.get('RateLimit')).toMatch(/r=4;/);
      expect((await redis.client.keys('throttle:*')).length).toBeGreaterThan(0);
    } finally {
      server.stop();
      await redis.close();
    }
  });

  it('does not let a hung Redis hang requests', async () => {
    const server = await startRedisServer();
    const redis = await connected(server.url);
    const one = await harness({ limiter: isolated(redis) });
    const ada = await one.signUp();
    try {
      server.freeze();
      const started = performance.now();
      const response = await one.request('GET', '/api/me/', { token: ada.token });
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      server.thaw();
      server.stop();
      await redis.close();
    }
  });

  it('starts without Redis and throttles in memory until it appears', async () => {
    const server = await startRedisServer();
    await server.kill();
    const redis = connectRedis(server.url, silent);
    const one = await harness({
      rates: { user: { points: 1, durationSeconds: 60 } },
      limiter: isolated(redis),
    });
    const ada = await one.signUp();
    try {
      expect((await one.request('GET', '/api/me/', { token: ada.token })).status).toBe(200);
      expect((await one.request('GET', '/api/me/', { token: ada.token })).status).toBe(429);
    } finally {
      await redis.close();
    }
  });
});
