/** A policy's budget: `points` requests per `durationSeconds`. */
export interface Rate {
  points: number;
  durationSeconds: number;
}

export interface RateLimitState {
  /** False when the request is over the limit. */
  allowed: boolean;
  /** Requests left in the current window. */
  remaining: number;
  /** Seconds until the window resets; a refused caller may retry then. */
  resetSeconds: number;
}

/** One policy: each key may make `limit` requests per `windowSeconds`. */
export interface RateLimiter {
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
  /** Spends one request from `key`'s budget. */
  consume(key: string): Promise<RateLimitState>;
  /**
   * Spends one request from `key`'s budget if one is left; a refusal spends nothing, so however
   * many callers race for one key, at most `limit` are allowed in a window.
   */
  take(key: string): Promise<RateLimitState>;
  /** Returns one request that `take` spent. */
  giveBack(key: string): Promise<void>;
  /** Whether `key` could spend one now, spending nothing. */
  peek(key: string): Promise<RateLimitState>;
  reset(key: string): Promise<void>;
}
