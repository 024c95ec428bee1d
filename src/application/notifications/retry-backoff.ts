export interface RetryPolicy {
  /** Attempts in all, the first one included; after the last failure the event is dead. */
  maxAttempts: number;
  /** The ceiling of the first retry's delay; each further retry doubles it. */
  retryBaseMs: number;
  /** The most any ceiling grows to. */
  retryMaxMs: number;
}

/**
 * How long to wait after the `failedAttempts`-th failure: "full jitter", a uniformly random
 * delay below base · 2^(n−1), capped. The randomness spreads out the retries of many events
 * that failed together (Lambda throttling a burst), so they do not come back as a burst.
 */
export function retryDelayMs(
  failedAttempts: number,
  policy: Pick<RetryPolicy, 'retryBaseMs' | 'retryMaxMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** (failedAttempts - 1));
  return Math.floor(random() * ceiling);
}
