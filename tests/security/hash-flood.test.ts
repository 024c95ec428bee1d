// Security review finding 3: 300 log-ins from 15 addresses, each inside its own 20/min budget,
// made a real log-in from another address take 90 s: one bcrypt worker, an unbounded queue, and
// jobs of clients that had given up still ran. Now a worker per core serves the waiting hashes a
// client address at a time in turn, a hash waits at most HASH_QUEUE_TIMEOUT (then 503 with
// Retry-After), and the hash of a client that went away is never computed.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bcryptPasswordHasher } from '../../src/adapters/bcrypt-password-hasher.ts';
import { register } from '../../src/application/accounts/register.ts';
import { harness, PASSWORD, type TestResponse } from '../harness.ts';

/** bcryptjs's own default cost, a common production setting (the service defaults to 12). */
const COST = 10;
const FLOOD_ADDRESSES = 15;
const PER_ADDRESS = 20;

describe('a flood of log-ins from many addresses', () => {
  it('leaves a log-in from another address answered within 5 s, and drops the flood once it leaves', async () => {
    const h = await harness({ rates: { anonymous: { points: PER_ADDRESS, durationSeconds: 60 } } });
    h.deps.hasher = bcryptPasswordHasher(COST);
    await register(h.deps, { username: 'ada', password: PASSWORD });

    const clients = Array.from(
      { length: FLOOD_ADDRESSES * PER_ADDRESS },
      () => new AbortController(),
    );
    let answered = 0;
    const flood = clients.map((client, i) =>
      h
        .request('POST', '/api/token/', {
          ip: `192.0.2.${1 + (i % FLOOD_ADDRESSES)}`,
          signal: client.signal,
          json: { username: `nobody${i}`, password: 'a wrong guess' },
        })
        .finally(() => answered++),
    );
    // Under way: every flooding address has had a hash computed, the rest of its log-ins wait.
    while (answered < FLOOD_ADDRESSES) await new Promise((resolve) => setTimeout(resolve, 10));

    const started = performance.now();
    const ada = await h.request('POST', '/api/token/', {
      ip: '198.51.100.1',
      json: { username: 'ada', password: PASSWORD },
    });
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `log-in during a flood of ${flood.length} from ${FLOOD_ADDRESSES} addresses, bcrypt cost ${COST}, ${availableParallelism()} workers: ${seconds.toFixed(2)} s`,
    );
    expect(ada.status).toBe(200);
    expect(seconds).toBeLessThan(5);

    // The flood's clients give up: what they still waited for is never computed.
    for (const client of clients) client.abort();
    const statuses = (await Promise.all(flood)).map((response: TestResponse) => response.status);
    const checked = statuses.filter((status) => status === 400).length;
    const dropped = statuses.filter((status) => status === 499).length;
    // On a machine busy enough, some waited out HASH_QUEUE_TIMEOUT before their client left.
    const refused = statuses.filter((status) => status === 503).length;
    expect(checked + dropped + refused).toBe(flood.length);
    expect(dropped).toBeGreaterThan(flood.length / 2);
  }, 60_000);

  it('refuses a hash that waited longer than the queue timeout with 503 and Retry-After', async () => {
    const h = await harness();
    h.deps.hasher = bcryptPasswordHasher(COST, { queueTimeoutMs: 20 });
    // More log-ins than workers, each compared at COST: those left waiting past 20 ms are refused.
    const answers = await Promise.all(
      Array.from({ length: availableParallelism() * 4 }, () =>
        h.request('POST', '/api/token/', { json: { username: 'nobody', password: 'a guess' } }),
      ),
    );
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.headers.get('Retry-After')).toBe('1');
      expect(await answer.json()).toMatchObject({ status: 503, code: 'hashing_busy' });
    }
    const checked = answers.filter((answer) => answer.status === 400).length;
    expect(checked + refused.length).toBe(answers.length);
    // A refused attempt was not checked, so it cost the pair no failure.
    const failures = h.deps.loginFailures;
    expect((await failures.peek('nobody|127.0.0.1')).remaining).toBe(failures.limit - checked);
  }, 30_000);
});
