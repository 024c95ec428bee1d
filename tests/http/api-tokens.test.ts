import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_STATUS_TTL_MS } from '../../src/application/accounts/access-token-authenticator.ts';
import { makeApiToken } from '../api-tokens.ts';
import { type Harness, harness, type Json, type SignedUp } from '../harness.ts';

let h: Harness;
let ada: SignedUp;
beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
});

const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const SECRET = /^tsk_[A-Za-z0-9_-]{43}$/;

describe('POST /api/tokens/', () => {
  it('creates a token and shows its secret this once, never cached', async () => {
    const response = await h.request('POST', '/api/tokens/', {
      token: ada.token,
      json: { name: ' nightly export ', scopes: ['read'] },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({
      id: expect.any(Number),
      name: 'nightly export',
      scopes: ['read'],
      token: expect.stringMatching(SECRET),
      created_at: h.clock.now().toISOString(),
      expires_at: null,
      last_used_at: null,
    });
  });

  it('states `write` with the `read` it implies, and keeps an expiry given with an offset', async () => {
    const { created } = await makeApiToken(h, ada.token, {
      scopes: ['write'],
      expires_at: '2026-03-01T12:00:00+02:00',
    });
    expect(created.scopes).toEqual(['read', 'write']);
    expect(created.expires_at).toBe('2026-03-01T10:00:00.000Z');
  });

  it('makes a different secret every time', async () => {
    const first = await makeApiToken(h, ada.token);
    const second = await makeApiToken(h, ada.token);
    expect(first.secret).not.toBe(second.secret);
  });

  it.each([
    [{ scopes: ['read'] }, 'name'],
    [{ name: '', scopes: ['read'] }, 'name'],
    [{ name: '   ', scopes: ['read'] }, 'name'],
    [{ name: 'x'.repeat(101), scopes: ['read'] }, 'name'],
    [{ name: 'x\u0000', scopes: ['read'] }, 'name'],
    [{ name: 'ci' }, 'scopes'],
    [{ name: 'ci', scopes: [] }, 'scopes'],
    [{ name: 'ci', scopes: ['admin'] }, 'scopes.0'],
    [{ name: 'ci', scopes: 'read' }, 'scopes'],
    [{ name: 'ci', scopes: ['read'], expires_at: 'tomorrow' }, 'expires_at'],
    [{ name: 'ci', scopes: ['read'], expires_at: '2025-12-31T00:00:00Z' }, 'expires_at'],
    [{ name: 'ci', scopes: ['read'], expires_at: '2026-01-01T09:00:00Z' }, 'expires_at'],
    [{ name: 'ci', scopes: ['read'], owner: 2 }, 'owner'],
  ])('refuses %j with errors.%s, and makes no token', async (json, field) => {
    const response = await h.request('POST', '/api/tokens/', { token: ada.token, json });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toHaveProperty([field]);
    const list = await h.request('GET', '/api/tokens/', { token: ada.token });
    expect(await list.json()).toEqual([]);
  });

  it('needs a signed-in caller', async () => {
    const response = await h.request('POST', '/api/tokens/', {
      json: { name: 'ci', scopes: ['read'] },
    });
    expect(response.status).toBe(401);
  });
});

describe('GET /api/tokens/', () => {
  it("lists the caller's own tokens without their secrets, revoked ones left out", async () => {
    const bob = await h.signUp();
    const first = await makeApiToken(h, ada.token, { name: 'first', scopes: ['read'] });
    const second = await makeApiToken(h, ada.token, { name: 'second' });
    const revoked = await makeApiToken(h, ada.token, { name: 'revoked' });
    await makeApiToken(h, bob.token, { name: 'bob' });
    await h.request('DELETE', `/api/tokens/${revoked.id}/`, { token: ada.token });

    const response = await h.request('GET', '/api/tokens/', { token: ada.token });
    expect(response.status).toBe(200);
    const { token: _secret, ...shown } = second.created;
    expect(await response.json()).toEqual([
      {
        id: first.id,
        name: 'first',
        scopes: ['read'],
        created_at: iso,
        expires_at: null,
        last_used_at: null,
      },
      shown,
    ]);
  });

  it('pages with Link headers', async () => {
    for (let i = 0; i < 3; i++) await makeApiToken(h, ada.token, { name: `t${i}` });
    const first = await h.request('GET', '/api/tokens/?limit=2', { token: ada.token });
    expect((await first.json()).map((t: Json) => t.name)).toEqual(['t0', 't1']);
    const next = /<[^>]+(\/api\/tokens\/\?[^>]+)>/.exec(first.headers.get('Link') ?? '')?.[1];
    const second = await h.request('GET', next as string, { token: ada.token });
    expect((await second.json()).map((t: Json) => t.name)).toEqual(['t2']);
    expect(second.headers.get('Link')).toBeNull();
  });
});

describe('DELETE /api/tokens/{id}/', () => {
  it('revokes at once: the token stops working on the next request', async () => {
    const { id, secret } = await makeApiToken(h, ada.token);
    expect((await h.request('GET', '/api/me/', { token: secret })).status).toBe(200);

    const response = await h.request('DELETE', `/api/tokens/${id}/`, { token: ada.token });
    expect(response.status).toBe(204);

    const refused = await h.request('GET', '/api/me/', { token: secret });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
    expect((await h.request('DELETE', `/api/tokens/${id}/`, { token: ada.token })).status).toBe(
      404,
    );
  });

  it("answers 404 for another user's token, which keeps working, as for an unknown id", async () => {
    const bob = await h.signUp();
    const bobs = await makeApiToken(h, bob.token);
    for (const path of [`/api/tokens/${bobs.id}/`, '/api/tokens/999999/', '/api/tokens/abc/']) {
      const response = await h.request('DELETE', path, { token: ada.token });
      expect(response.status, path).toBe(404);
    }
    expect((await h.request('GET', '/api/me/', { token: bobs.secret })).status).toBe(200);
  });
});

describe('signing in with an API token', () => {
  it('works with the Token and Bearer schemes alike, as the user it belongs to', async () => {
    const { secret } = await makeApiToken(h, ada.token, { scopes: ['read'] });
    for (const scheme of ['Token', 'Bearer', 'token']) {
      const response = await h.request('GET', '/api/me/', {
        headers: { Authorization: `${scheme} ${secret}` },
      });
      expect(response.status, scheme).toBe(200);
      expect((await response.json()).username).toBe(ada.username);
    }
  });

  it('lets a write token write, and keeps JWTs working beside it', async () => {
    const { secret } = await makeApiToken(h, ada.token, { scopes: ['write'] });
    const created = await h.request('POST', '/api/tasks/', {
      headers: { Authorization: `Token ${secret}` },
      json: { title: 'From a script' },
    });
    expect(created.status).toBe(201);
    const task = await created.json();
    expect(task.created_by).toBe(ada.id);
    expect((await h.request('GET', `/api/tasks/${task.id}/`, { token: ada.token })).status).toBe(
      200,
    );
  });

  it('never expires unless asked to', async () => {
    const { secret } = await makeApiToken(h, ada.token);
    h.clock.advance(5 * 365 * 86_400_000);
    expect((await h.request('GET', '/api/me/', { token: secret })).status).toBe(200);
  });

  it('fails at once when its expiry comes', async () => {
    const { secret } = await makeApiToken(h, ada.token, { expires_at: '2026-01-01T10:00:00Z' });
    h.clock.advance(60 * 60_000 - 1);
    expect((await h.request('GET', '/api/me/', { token: secret })).status).toBe(200);
    h.clock.advance(1);
    const response = await h.request('GET', '/api/me/', { token: secret });
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('refuses unknown and malformed secrets as invalid_token', async () => {
    const { secret } = await makeApiToken(h, ada.token);
    for (const bad of [
      `${secret.slice(0, -1)}x`,
      'tsk_',
      'tsk_not a token',
      `tsk_${'a'.repeat(300)}`,
    ]) {
      const response = await h.request('GET', '/api/me/', {
        headers: { Authorization: `Token ${bad}` },
      });
      expect(response.status, bad).toBe(401);
    }
  });

  it("stops working within the account-status TTL of its owner's deactivation", async () => {
    const { secret } = await makeApiToken(h, ada.token);
    await h.request('GET', '/api/me/', { token: secret });
    await h.deactivate(ada.id);
    h.clock.advance(ACCOUNT_STATUS_TTL_MS);
    expect((await h.request('GET', '/api/me/', { token: secret })).status).toBe(401);
  });

  it('keeps last_used_at to within a minute', async () => {
    const { id, secret } = await makeApiToken(h, ada.token);
    const lastUsed = async () => {
      // The write is off the request's path: let it land before looking.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const list = await (await h.request('GET', '/api/tokens/', { token: ada.token })).json();
      return list.find((token: Json) => token.id === id).last_used_at;
    };
    const started = h.clock.now().getTime();

    await h.request('GET', '/api/me/', { token: secret });
    expect(await lastUsed()).toBe(new Date(started).toISOString());
    h.clock.advance(30_000);
    await h.request('GET', '/api/me/', { token: secret });
    expect(await lastUsed()).toBe(new Date(started).toISOString());
    h.clock.advance(31_000);
    await h.request('GET', '/api/me/', { token: secret });
    expect(await lastUsed()).toBe(new Date(started + 61_000).toISOString());
  });

  it('answers the request even when recording the use fails or hangs', async () => {
    const { secret } = await makeApiToken(h, ada.token);
    const { apiTokens } = h.deps;
    for (const recordUse of [
      () => Promise.reject(new Error('database down')),
      () => new Promise<void>(() => {}),
    ]) {
      h.deps.apiTokens = { ...apiTokens, recordUse };
      expect((await h.request('GET', '/api/me/', { token: secret })).status).toBe(200);
      h.clock.advance(61_000);
    }
  });
});

describe('scopes', () => {
  /** Every write the API documents for signed-in callers, found in the OpenAPI document. */
  async function writeRoutes(): Promise<[string, string][]> {
    const doc = await (await h.request('GET', '/api/schema/')).json();
    return Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(
      ([path, operations]) =>
        Object.entries(operations)
          .filter(
            ([method, operation]) =>
              ['post', 'put', 'patch', 'delete'].includes(method) &&
              path.startsWith('/api/') &&
              (operation.security ?? []).length > 0,
          )
          .map(([method]) => [method.toUpperCase(), path] as [string, string]),
    );
  }

  it('refuses a read token on every write route with 403 insufficient_scope', async () => {
    const routes = await writeRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(9);
    const { secret } = await makeApiToken(h, ada.token, { scopes: ['read'] });
    const task = await (
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'Mine' } })
    ).json();
    for (const [method, template] of routes) {
      const path = template.replace(/\{\w+\}/g, String(task.id));
      for (const body of [{}, { title: 'x', name: 'x', scopes: ['read'] }]) {
        const response = await h.request(method, path, { token: secret, json: body });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="insufficient_scope"');
        expect(await response.json()).toMatchObject({ code: 'insufficient_scope' });
      }
    }
    const after = await (
      await h.request('GET', `/api/tasks/${task.id}/`, { token: secret })
    ).json();
    expect(after).toEqual(task);
  });

  it('lets a read token read', async () => {
    const { secret } = await makeApiToken(h, ada.token, { scopes: ['read'] });
    for (const path of ['/api/me/', '/api/tasks/', '/api/users/'])
      expect((await h.request('GET', path, { token: secret })).status, path).toBe(200);
  });

  it.each([
    ['GET', '/api/tokens/', undefined],
    ['POST', '/api/tokens/', { name: 'more', scopes: ['read'] }],
    ['DELETE', '/api/tokens/{id}/', undefined],
    ['POST', '/api/me/password/', { current_password: 'x', new_password: 'y' }],
  ])('never lets an API token, even a write one, %s %s', async (method, template, json) => {
    const { id, secret } = await makeApiToken(h, ada.token, { scopes: ['read', 'write'] });
    const response = await h.request(method, template.replace('{id}', String(id)), {
      token: secret,
      json,
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'insufficient_scope' });
    expect((await h.request('GET', '/api/me/', { token: secret })).status).toBe(200);
  });
});
