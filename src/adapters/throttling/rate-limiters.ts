import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
} from 'rate-limiter-flexible';
import type { Rate, RateLimiter, RateLimitState } from '../../application/ports/rate-limiter.ts';
import { leasedConsume } from './leases.ts';
import { COMMAND_TIMEOUT_MS, type RedisConnection } from './redis-connection.ts';

function stateOf(limit: number, res: RateLimiterRes | null): RateLimitState {
  const consumed = res?.consumedPoints ?? 0;
  return {
    allowed: consumed <= limit,
    remaining: Math.max(limit - consumed, 0),
    resetSeconds: res ? Math.max(Math.ceil(res.msBeforeNext / 1000), 1) : 0,
  };
}

/**
 * Requests of one key that share one Redis round trip of `consume`: none for a small budget,
 * where holding points would starve other instances, up to 16 for a large one (300/min: 15).
 */
export const leaseSize = (rate: Rate) => Math.max(Math.min(16, Math.floor(rate.points / 20)), 1);

function policy(
  name: string,
  rate: Rate,
  limiter: Pick<RateLimiterAbstract, 'consume' | 'reward' | 'get' | 'delete'>,
  lease = 1,
): RateLimiter {
  const limit = rate.points;
  async function spend(key: string, points: number): Promise<RateLimiterRes> {
    try {
      return await limiter.consume(key, points);
    } catch (rejection) {
      // Over the limit is a rejection carrying the state; anything else is a real failure.
      if (rejection instanceof RateLimiterRes) return rejection;
      throw rejection;
    }
  }
  async function refund(key: string, points: number): Promise<void> {
    await limiter.reward(key, points);
  }
  const giveBack = (key: string) => refund(key, 1);
  const consume = async (key: string) => stateOf(limit, await spend(key, 1));
  const leased = lease > 1 ? leasedConsume({ limit, size: lease, spend, refund }) : undefined;
  return {
    name,
    limit,
    windowSeconds: rate.durationSeconds,
    consume: leased ? leased.consume : consume,
    // The increment is atomic (one Redis command), so of racing callers exactly `limit` see a
    // count within the limit; each of the others takes its increment back.
    async take(key) {
      const state = await consume(key);
      if (!state.allowed) await giveBack(key);
      return state;
    },
    giveBack,
    async peek(key) {
      const state = stateOf(limit, await limiter.get(key));
      return { ...state, allowed: state.remaining > 0 };
    },
    async reset(key) {
      leased?.forget(key);
      await limiter.delete(key);
    },
  };
}

const memory = (name: string, rate: Rate) =>
  new RateLimiterMemory({ keyPrefix: name, points: rate.points, duration: rate.durationSeconds });

/** Counters in this process: the default without Redis, and Redis's insurance. */
export function memoryRateLimiter(name: string, rate: Rate): RateLimiter {
  return policy(name, rate, memory(name, rate));
}

/**
 * Counters in Redis, shared by every instance. While Redis is down or slow (the connection's
 * command timeout), an in-memory limiter of the same policy takes over: limiting goes on per
 * instance, and no request fails because of Redis.
 */
export function redisRateLimiter(name: string, rate: Rate, redis: RedisConnection): RateLimiter {
  const insuranceLimiter = memory(name, rate);
  const shared = new RateLimiterRedis({
    storeClient: redis.client,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    keyPrefix: `throttle:${name}`,
    points: rate.points,
    duration: rate.durationSeconds,
    insuranceLimiter,
  });
  // A hung Redis answers nothing and fails nothing; the timeout turns that into a fallback too.
  return policy(
    name,
    rate,
    new RLWrapperTimeouts({ limiter: shared, timeoutMs: COMMAND_TIMEOUT_MS, insuranceLimiter }),
    leaseSize(rate),
  );
}
