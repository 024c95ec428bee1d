// OWASP API4:2023 Unrestricted Resource Consumption: every input that costs the service memory,
// rows or CPU has a bound, and every caller has a budget.
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { bcryptPasswordHasher } from '../../src/adapters/bcrypt-password-hasher.ts';
import { BODY_LIMIT_BYTES } from '../../src/adapters/http/app.ts';
import { LIMIT_MAX } from '../../src/adapters/http/fields.ts';
import { SEARCH_MAX } from '../../src/adapters/http/tasks/schemas.ts';
import { register } from '../../src/application/accounts/register.ts';
import type { PasswordHasher } from '../../src/application/ports/password-hasher.ts';
import { USERNAME_MAX } from '../../src/domain/user.ts';
import { entryBy, taskDraft } from '../contracts/tasks.contract.ts';
import { type Harness, harness, PASSWORD, type TestResponse } from '../harness.ts';

const perMinute = (points: number) => ({ points, durationSeconds: 60 });

/** A JSON body of exactly `bytes` bytes: a valid task padded with insignificant whitespace. */
function paddedBody(bytes: number, body: object): string {
  const json = JSON.stringify(body);
  return `${json.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(json))}}`;
}

async function post(h: Harness, path: string, body: string, token?: string): Promise<TestResponse> {
  return (await h.app.request(`http://localhost${path}`, {
    method: 'POST',
    body,
    headers: {
      'Content-Type': 'application/json',
      ...(token && { Authorization: `Bearer ${token}` }),
    },
  })) as TestResponse;
}

describe('request bodies', () => {
  it(`accept ${BODY_LIMIT_BYTES} bytes and refuse one byte more, on every route with a body`, async () => {
    const h = await harness();
    const ada = await h.signUp();
    const exact = await post(
      h,
      '/api/tasks/',
      paddedBody(BODY_LIMIT_BYTES, { title: 'x' }),
      ada.token,
    );
    expect(exact.status).toBe(201);
    const task = await exact.json();
    const over = (body: object) => paddedBody(BODY_LIMIT_BYTES + 1, body);
    for (const [path, body] of [
      ['/api/tasks/', { title: 'x' }],
      ['/register/', { username: 'big', password: PASSWORD }],
      ['/api/token/', { username: ada.username, password: PASSWORD }],
      ['/api/token/refresh/', { refresh: ada.refresh }],
      ['/api/token/revoke/', { refresh: ada.refresh }],
    ] as const) {
      const response = await post(h, path, over(body), ada.token);
      expect(response.status, path).toBe(413);
    }
    for (const method of ['PUT', 'PATCH']) {
      const response = await h.app.request(`http://localhost/api/tasks/${task.id}/`, {
        method,
        body: over({ title: 'y' }),
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ada.token}` },
      });
      expect(response.status, method).toBe(413);
    }
    // Nothing the refused requests carried was acted on: the refresh token still works once.
    expect(
      (await h.request('POST', '/api/token/refresh/', { json: { refresh: ada.refresh } })).status,
    ).toBe(200);
    expect(await (await h.request('GET', '/api/tasks/', { token: ada.token })).json()).toHaveLength(
      1,
    );
    expect(
      (await h.request('POST', '/api/token/', { json: { username: 'big', password: PASSWORD } }))
        .status,
    ).toBe(400);
  });
});

describe('lists', () => {
  it(`return at most ${LIMIT_MAX} rows however large the limit`, async () => {
    const h = await harness();
    const ada = await h.signUp();
    for (let i = 0; i <= LIMIT_MAX; i++)
      await h.deps.tasks.add(taskDraft(ada.id, { title: `t${i}` }), entryBy(ada.id));
    for (const limit of ['201', '1000000', '9'.repeat(400)]) {
      const response = await h.request('GET', `/api/tasks/?limit=${limit}`, { token: ada.token });
      expect(response.status).toBe(200);
      expect(await response.json()).toHaveLength(LIMIT_MAX);
      expect(response.headers.get('Link')).toContain('limit=');
    }
    const users = await h.request('GET', '/api/users/?limit=1000000', { token: ada.token });
    expect(users.status).toBe(200);
    for (const limit of ['0', '-1', '1e3', '2.5', 'Infinity', ''])
      expect(
        (await h.request('GET', `/api/tasks/?limit=${limit}`, { token: ada.token })).status,
        limit,
      ).toBe(400);
  });

  it('bound search strings: the longest allowed is answered, one more is refused', async () => {
    const h = await harness();
    const ada = await h.signUp();
    const search = (path: string, length: number) =>
      h.request('GET', `${path}?search=${'é'.repeat(length)}`, { token: ada.token });
    expect((await search('/api/tasks/', SEARCH_MAX)).status).toBe(200);
    expect((await search('/api/tasks/', SEARCH_MAX + 1)).status).toBe(400);
    expect((await search('/api/users/', USERNAME_MAX)).status).toBe(200);
    expect((await search('/api/users/', USERNAME_MAX + 1)).status).toBe(400);
  });
});

/** The harness's hasher, counting the passwords it is asked to check. */
function countVerifications(h: Harness) {
  const hasher = h.deps.hasher;
  const counter = { verified: 0 };
  const counting: PasswordHasher = {
    hash: (password) => hasher.hash(password),
    verify: (password, hash) => {
      counter.verified += 1;
      return hasher.verify(password, hash);
    },
  };
  h.deps.hasher = counting;
  return counter;
}

describe('log-in brute force', () => {
  const login = (h: Harness, username: string, password: string, ip = '10.0.0.1') =>
    h.request('POST', '/api/token/', { ip, json: { username, password } });

  it('blocks guessing one password, and a blocked attempt costs no bcrypt work', async () => {
    const h = await harness({ rates: { loginFailures: { points: 5, durationSeconds: 900 } } });
    const ada = await h.signUp();
    const counter = countVerifications(h);
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(h, ada.username, `guess ${i}`)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
    expect(counter.verified).toBe(5);
    // Letter case and compatibility forms of the name share one count.
    expect((await login(h, ada.username.toUpperCase(), PASSWORD)).status).toBe(429);
    expect(counter.verified).toBe(5);
  });

  it('caps guesses spread over many usernames from one address', async () => {
    const h = await harness({ rates: { anonymous: perMinute(20) } });
    const statuses = [];
    for (let i = 0; i < 22; i++) statuses.push((await login(h, `victim${i}`, 'password1')).status);
    expect(statuses.slice(0, 20).every((status) => status === 400)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it('does not let a hostile username bloat the failure counters', async () => {
    const h = await harness({ rates: { loginFailures: { points: 1, durationSeconds: 900 } } });
    const long = 'x'.repeat(60_000);
    expect((await login(h, long, 'guess one')).status).toBe(400);
    // The key is capped at the longest possible username, so a longer variant is the same pair.
    expect((await login(h, `${long}y`, 'guess two')).status).toBe(429);
  });
});

describe('password hashing', () => {
  /** CPU time of this thread alone, in ms: other processes on a busy machine do not count. */
  const threadCpu = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };

  /**
   * The most CPU time the event loop's own thread spent between two turns of a 1 ms timer while
   * `count` log-ins were checked at once: how long other requests would wait on it.
   */
  async function longestBusyTurn(h: Harness, count: number): Promise<number> {
    let last = threadCpu();
    let longest = 0;
    const probe = setInterval(() => {
      const now = threadCpu();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    const answers = await Promise.all(
      Array.from({ length: count }, () =>
        h.request('POST', '/api/token/', { json: { username: 'ada', password: 'a wrong guess' } }),
      ),
    );
    clearInterval(probe);
    expect(answers.every((answer) => answer.status === 400)).toBe(true);
    // Work that starves the timer entirely ends the last turn only here.
    return Math.max(longest, threadCpu() - last);
  }

  it('hashes off the event loop, so a burst of log-ins never holds other requests for a hash', async () => {
    const h = await harness();
    h.deps.hasher = bcryptPasswordHasher(10);
    await register(h.deps, { username: 'ada', password: PASSWORD });
    const before = threadCpu();
    bcrypt.hashSync(PASSWORD, 10);
    const oneHash = threadCpu() - before;
    await longestBusyTurn(h, 1); // compiles the log-in path, which would count as a busy turn
    const burst = await longestBusyTurn(h, 6);
    // Six cost-10 hashes on the loop would hold it for at least one whole hash; in the workers
    // it only parses, routes and answers between turns.
    expect(burst).toBeLessThan(oneHash / 2);
  });
});

describe('per-user throttling', () => {
  it('follows the user, not the token: logging in again or refreshing buys no new budget', async () => {
    const h = await harness({ rates: { user: perMinute(3) } });
    const ada = await h.signUp();
    const me = (token: string) => h.request('GET', '/api/me/', { token });
    expect((await me(ada.token)).status).toBe(200);
    expect((await me((await h.logIn(ada.username)).access)).status).toBe(200);
    const refreshed = await (
      await h.request('POST', '/api/token/refresh/', { json: { refresh: ada.refresh } })
    ).json();
    expect((await me(refreshed.access)).status).toBe(200);
    expect((await me(refreshed.access)).status).toBe(429);
    expect((await me(ada.token)).status).toBe(429);
  });

  it('is spent before any work: a throttled write writes nothing', async () => {
    const h = await harness({ rates: { user: perMinute(1) } });
    const ada = await h.signUp();
    expect(
      (await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'one' } })).status,
    ).toBe(201);
    expect(
      (await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'two' } })).status,
    ).toBe(429);
    const all = await h.deps.tasks.list({
      viewer: { id: ada.id, isStaff: true },
      ordering: { field: 'id', descending: false },
      limit: 10,
    });
    expect(all.map((task) => task.title)).toEqual(['one']);
  });
});
