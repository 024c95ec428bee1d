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
  /** Whether `key` could spend one now, spending nothing. */
  peek(key: string): Promise<RateLimitState>;
  reset(key: string): Promise<void>;
}
