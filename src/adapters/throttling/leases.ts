import type { RateLimitState } from '../../application/ports/rate-limiter.ts';

/** What a shared counter answers when `points` are spent from a key: its count, its window. */
export interface Spent {
  consumedPoints: number;
  msBeforeNext: number;
}

interface Lease {
  /** Points spent in the shared counter and not yet handed to a request. */
  left: number;
  /** The shared count as this process last learned it, the points it holds included. */
  count: number;
  /** The window's end, as the shared counter reported it. */
  endsAt: number;
  /** The last lease came back short: the budget is nearly spent, so spend one point at a time. */
  short: boolean;
}

/** Bounds the memory of the leases: one per key seen within a window. */
const MAX_LEASES = 100_000;

/**
 * `consume` for a counter one round trip away (Redis), with that round trip shared by up to
 * `size` requests of a key: the first spends `size` points at once and this process hands the
 * rest to the key's next requests until they run out or the window ends. Every point is counted
 * in the shared counter before a request uses it, so no key is ever allowed more than `limit`
 * in a window across all instances; what one instance holds unused (under `size` per key) is
 * refused to the others until its window ends. Concurrent requests of a key wait for one lease
 * rather than each taking their own, and once a lease comes back short the key spends one point
 * per request, as without leases, so the end of a budget is exact.
 */
export function leasedConsume(options: {
  limit: number;
  size: number;
  spend: (key: string, points: number) => Promise<Spent>;
  /** Returns points a short lease took beyond the budget. */
  refund: (key: string, points: number) => Promise<void>;
  now?: () => number;
}): { consume(key: string): Promise<RateLimitState>; forget(key: string): void } {
  const { limit, size, spend, refund, now = Date.now } = options;
  const leases = new Map<string, Lease>();
  const leasing = new Map<string, Promise<unknown>>();

  const stateOf = (lease: Lease, at: number): RateLimitState => ({
    allowed: true,
    remaining: Math.max(limit - lease.count + lease.left, 0),
    resetSeconds: Math.max(Math.ceil((lease.endsAt - at) / 1000), 1),
  });

  function draw(key: string, at: number): RateLimitState | null {
    const lease = leases.get(key);
    if (!lease || lease.endsAt <= at || lease.left === 0) return null;
    lease.left -= 1;
    return stateOf(lease, at);
  }

  async function take(key: string, points: number): Promise<RateLimitState> {
    const spent = await spend(key, points);
    const at = now();
    const before = spent.consumedPoints - points;
    const usable = Math.min(Math.max(limit - before, 0), points);
    // A refused request counts one point, as a refused `consume` does without leases.
    const excess = points - Math.max(usable, 1);
    // A refund lost to a failing counter errs towards refusing, never towards allowing.
    if (excess > 0) await refund(key, excess).catch(() => undefined);
    const count = spent.consumedPoints - excess;
    const lease = { left: 0, count, endsAt: at + spent.msBeforeNext, short: usable < points };
    leases.delete(key);
    if (leases.size >= MAX_LEASES) leases.delete(leases.keys().next().value as string);
    leases.set(key, lease);
    if (usable === 0) return { ...stateOf(lease, at), allowed: false, remaining: 0 };
    lease.left = usable - 1;
    return stateOf(lease, at);
  }

  return {
    async consume(key) {
      for (;;) {
        const drawn = draw(key, now());
        if (drawn) return drawn;
        const pending = leasing.get(key);
        if (!pending) break;
        await pending.catch(() => undefined);
      }
      const lease = leases.get(key);
      // Single points need no waiting for: each is its own request's.
      if (lease && lease.endsAt > now() && lease.short) return take(key, 1);
      const taking = take(key, size);
      leasing.set(key, taking);
      try {
        return await taking;
      } finally {
        if (leasing.get(key) === taking) leasing.delete(key);
      }
    },
    forget(key) {
      leases.delete(key);
    },
  };
}
