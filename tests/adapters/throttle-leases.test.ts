import { describe, expect, it } from 'vitest';
import { leasedConsume, type Spent } from '../../src/adapters/throttling/leases.ts';

/** A shared counter as Redis keeps it: one fixed window per key, every spend counted. */
function sharedCounter(windowMs: number, clock: { now: number }) {
  const keys = new Map<string, { count: number; endsAt: number }>();
  const calls: number[] = [];
  return {
    calls,
    count: (key: string) => keys.get(key)?.count ?? 0,
    async spend(key: string, points: number): Promise<Spent> {
      calls.push(points);
      await Promise.resolve();
      let entry = keys.get(key);
      if (!entry || entry.endsAt <= clock.now) {
        entry = { count: 0, endsAt: clock.now + windowMs };
        keys.set(key, entry);
      }
      entry.count += points;
      return { consumedPoints: entry.count, msBeforeNext: entry.endsAt - clock.now };
    },
    async refund(key: string, points: number): Promise<void> {
      const entry = keys.get(key);
      if (entry) entry.count -= points;
    },
  };
}

function instances(limit: number, size: number, count = 1) {
  const clock = { now: 1_000_000 };
  const counter = sharedCounter(60_000, clock);
  const limiters = Array.from({ length: count }, () =>
    leasedConsume({
      limit,
      size,
      spend: counter.spend,
      refund: counter.refund,
      now: () => clock.now,
    }),
  );
  return { clock, counter, limiters };
}

describe('throttle leases', () => {
  it('spends a lease per round trip and counts down one request at a time', async () => {
    const { counter, limiters } = instances(1000, 16);
    const [one] = limiters as [ReturnType<typeof leasedConsume>];
    const states = [];
    for (let i = 0; i < 20; i++) states.push(await one.consume('ada'));
    expect(states.map((state) => state.remaining)).toEqual(
      Array.from({ length: 20 }, (_, i) => 999 - i),
    );
    expect(states.every((state) => state.allowed && state.resetSeconds === 60)).toBe(true);
    expect(counter.calls).toEqual([16, 16]);
    expect(counter.count('ada')).toBe(32);
  });

  it('never allows more than the limit across instances, and refunds what a short lease took', async () => {
    const { counter, limiters } = instances(100, 5, 3);
    let allowed = 0;
    for (let i = 0; i < 150; i++)
      if ((await (limiters[i % 3] as (typeof limiters)[0]).consume('ada')).allowed) allowed += 1;
    expect(allowed).toBeLessThanOrEqual(100);
    // At most a lease less one held unused by each of the other two instances.
    expect(allowed).toBeGreaterThanOrEqual(100 - 2 * 4);
    // The count is the limit plus one per refused request, as without leases.
    expect(counter.count('ada')).toBe(100 + (150 - allowed));
  });

  it('spends one point at a time once a lease comes back short, so the budget ends exactly', async () => {
    const { counter, limiters } = instances(40, 16);
    const [one] = limiters as [ReturnType<typeof leasedConsume>];
    const states = [];
    for (let i = 0; i < 42; i++) states.push(await one.consume('ada'));
    expect(states.filter((state) => state.allowed)).toHaveLength(40);
    expect(states.slice(38).map((state) => [state.allowed, state.remaining])).toEqual([
      [true, 1],
      [true, 0],
      [false, 0],
      [false, 0],
    ]);
    // 16, 16, then 16 of which 8 fit (8 refunded); then single points for the refusals.
    expect(counter.calls).toEqual([16, 16, 16, 1, 1]);
    expect(counter.count('ada')).toBe(42);
  });

  it('makes concurrent requests of one key wait for one lease rather than each take one', async () => {
    const { counter, limiters } = instances(1000, 16);
    const [one] = limiters as [ReturnType<typeof leasedConsume>];
    const states = await Promise.all(Array.from({ length: 40 }, () => one.consume('ada')));
    expect(states.every((state) => state.allowed)).toBe(true);
    expect(new Set(states.map((state) => state.remaining)).size).toBe(40);
    expect(counter.calls).toEqual([16, 16, 16]);
  });

  it('drops what is left of a lease when its window ends', async () => {
    const { clock, counter, limiters } = instances(1000, 16);
    const [one] = limiters as [ReturnType<typeof leasedConsume>];
    await one.consume('ada');
    clock.now += 60_000;
    expect(await one.consume('ada')).toEqual({ allowed: true, remaining: 999, resetSeconds: 60 });
    expect(counter.count('ada')).toBe(16);
  });

  it('forgets a key, so that a reset counts it from zero', async () => {
    const { counter, limiters } = instances(1000, 16);
    const [one] = limiters as [ReturnType<typeof leasedConsume>];
    await one.consume('ada');
    one.forget('ada');
    await one.consume('ada');
    expect(counter.calls).toEqual([16, 16]);
  });
});
