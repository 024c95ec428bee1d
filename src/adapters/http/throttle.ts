import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimiter, RateLimitState } from '../../application/ports/rate-limiter.ts';
import { ThrottledError } from '../../domain/errors.ts';
import type { AppEnv } from './env.ts';

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers). */
function setRateLimitHeaders(c: Context, limiter: RateLimiter, state: RateLimitState): void {
  c.header('RateLimit-Policy', `"${limiter.name}";q=${limiter.limit};w=${limiter.windowSeconds}`);
  c.header('RateLimit', `"${limiter.name}";r=${state.remaining};t=${state.resetSeconds}`);
}

/** Spends one request of the caller's budget under `limiter`; 429 once it is spent. */
export function throttle(
  limiter: RateLimiter,
  keyOf: (c: Context<AppEnv>) => string,
  onRejected: (policy: string) => void = () => undefined,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const state = await limiter.consume(keyOf(c));
    setRateLimitHeaders(c, limiter, state);
    if (!state.allowed) {
      onRejected(limiter.name);
      throw new ThrottledError(state.resetSeconds);
    }
    await next();
  };
}
