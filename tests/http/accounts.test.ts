import { beforeEach, describe, expect, it } from 'vitest';
import {
  ACCESS_TTL_SECONDS,
  type Harness,
  harness,
  nextPath,
  PASSWORD,
  type TestResponse,
  uniqueName,
} from '../harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe('POST /register/', () => {
  it('creates an account and answers 201 without the password', async () => {
    const response = await h.request('POST', '/register/', {
      json: { username: 'ada', password: PASSWORD, email: 'ada@example.com' },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      id: expect.any(Number),
      username: 'ada',
      email: 'ada@example.com',
      date_joined: iso,
    });
  });

  it('refuses a username taken in another letter case', async () => {
    await h.request('POST', '/register/', { json: { username: 'Ada', password: PASSWORD } });
    const response = await h.request('POST', '/register/', {
      json: { username: 'aDA', password: PASSWORD },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      status: 400,
      detail: 'username: A user with that username already exists.',
      errors: { username: ['A user with that username already exists.'] },
    });
  });

  it.each([
    [{ username: 'a b', password: PASSWORD }, 'username'],
    [{ username: 'x'.repeat(151), password: PASSWORD }, 'username'],
    [{ username: 'ada', password: 'short' }, 'password'],
    [{ username: 'ada', password: '1234567890' }, 'password'],
    [{ username: 'adalovelace', password: 'AdaLovelace' }, 'password'],
    [{ username: 'ada', password: 'é'.repeat(40) }, 'password'],
    [{ username: 'ada', password: PASSWORD, email: 'not-an-email' }, 'email'],
    [{ password: PASSWORD }, 'username'],
    [{ username: 'ada' }, 'password'],
    [{ username: 7, password: PASSWORD }, 'username'],
    [{ username: null, password: PASSWORD }, 'username'],
  ])('refuses %j with errors.%s', async (body, field) => {
    const response = await h.request('POST', '/register/', { json: body });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toHaveProperty(field);
  });

  it('ignores fields it does not know, as the original service did', async () => {
    const response = await h.request('POST', '/register/', {
      json: { username: 'ada', password: PASSWORD, password2: PASSWORD, is_staff: true },
    });
    expect(response.status).toBe(201);
    const { access } = await h.logIn('ada');
    const me = await h.request('GET', '/api/me/', { token: access });
    expect((await me.json()).is_staff).toBe(false);
  });
});

describe('POST /api/token/', () => {
  it('answers with access, refresh, and `token` equal to `access`, never cached', async () => {
    const ada = await h.signUp();
    const response = await h.request('POST', '/api/token/', {
      json: { username: ada.username, password: PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({
      token: body.access,
      access: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
      refresh: expect.any(String),
      token_type: 'Bearer',
      expires_in: ACCESS_TTL_SECONDS,
    });
  });

  it('gives the same answer for a wrong password, an unknown user and an inactive one', async () => {
    const ada = await h.signUp();
    const bob = await h.signUp();
    await h.deactivate(bob.id);
    const answers = await Promise.all(
      [
        { username: ada.username, password: 'wrong password' },
        { username: 'nobody-here', password: PASSWORD },
        { username: bob.username, password: PASSWORD },
      ].map(async (json) => {
        const response = await h.request('POST', '/api/token/', { json });
        return [response.status, response.headers.get('Cache-Control'), await response.json()];
      }),
    );
    for (const answer of answers)
      expect(answer).toEqual([
        400,
        'no-store',
        {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'Unable to log in with provided credentials.',
          code: 'invalid_credentials',
          errors: { non_field_errors: ['Unable to log in with provided credentials.'] },
        },
      ]);
  });
});

describe('POST /api/token/refresh/ and /api/token/revoke/', () => {
  it('rotates the refresh token and detects reuse', async () => {
    const ada = await h.signUp();
    const first = await h.request('POST', '/api/token/refresh/', {
      json: { refresh: ada.refresh },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('Cache-Control')).toBe('no-store');
    const rotated = await first.json();
    expect(rotated).toMatchObject({ token_type: 'Bearer', token: rotated.access });

    const reuse = await h.request('POST', '/api/token/refresh/', {
      json: { refresh: ada.refresh },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
    const revoked = await h.request('POST', '/api/token/refresh/', {
      json: { refresh: rotated.refresh },
    });
    expect(revoked.status).toBe(401);
  });

  it('revokes with 204 and the family stops working', async () => {
    const ada = await h.signUp();
    const response = await h.request('POST', '/api/token/revoke/', {
      json: { refresh: ada.refresh },
    });
    expect(response.status).toBe(204);
    const after = await h.request('POST', '/api/token/refresh/', {
      json: { refresh: ada.refresh },
    });
    expect(after.status).toBe(401);
  });

  it.each([{}, { refresh: '' }, { refresh: 5 }, { refresh: 'x'.repeat(513) }])(
    'refuses a malformed body %j with 400',
    async (json) => {
      for (const path of ['/api/token/refresh/', '/api/token/revoke/'])
        expect((await h.request('POST', path, { json })).status).toBe(400);
    },
  );
});

describe('authentication', () => {
  it('accepts Bearer and the original Token scheme, in any letter case', async () => {
    const ada = await h.signUp();
    for (const scheme of ['Bearer', 'Token', 'bearer', 'TOKEN']) {
      const response = await h.request('GET', '/api/me/', {
        headers: { Authorization: `${scheme} ${ada.token}` },
      });
      expect(response.status).toBe(200);
    }
  });

  it('asks for credentials when there are none', async () => {
    for (const headers of [{}, { Authorization: 'Basic YWRhOnB3' }] as Record<string, string>[]) {
      const response = await h.request('GET', '/api/me/', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"');
      expect((await response.json()).detail).toBe('Authentication credentials were not provided.');
    }
  });

  it('refuses bad, tampered and expired tokens as invalid_token', async () => {
    const ada = await h.signUp();
    const [header, payload, signature] = ada.token.split('.');
    const flipped = `${header}.${payload}.${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1)}`;
    for (const authorization of ['Bearer', 'Bearer not.a.jwt', `Bearer ${flipped}`, 'Token a b'])
      expect(
        (
          await h.request('GET', '/api/me/', { headers: { Authorization: authorization } })
        ).headers.get('WWW-Authenticate'),
      ).toBe('Bearer error="invalid_token"');

    h.clock.advance(ACCESS_TTL_SECONDS * 1000 + 1000);
    const expired = await h.request('GET', '/api/me/', { token: ada.token });
    expect(expired.status).toBe(401);
    expect((await expired.json()).detail).toBe('Token has expired.');
  });
});

describe('GET /api/me/', () => {
  it('describes the caller', async () => {
    const staff = await h.signUp({ staff: true });
    const response = await h.request('GET', '/api/me/', { token: staff.token });
    expect(await response.json()).toEqual({
      id: staff.id,
      username: staff.username,
      email: '',
      is_staff: true,
      date_joined: iso,
    });
  });
});

describe('GET /api/users/', () => {
  it('finds active users by part of their name, in any letter case, by id', async () => {
    const me = await h.signUp();
    const names = ['Alice', 'malin', 'bob', 'Salim'];
    const ids: number[] = [];
    for (const name of names) ids.push((await h.signUp({ username: name })).id);
    await h.deactivate(ids[3] as number);
    const response = await h.request('GET', '/api/users/?search=LI', { token: me.token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { id: ids[0], username: 'Alice' },
      { id: ids[1], username: 'malin' },
    ]);
  });

  it('pages through every user with Link headers', async () => {
    const me = await h.signUp();
    for (let i = 0; i < 4; i++) await h.signUp({ username: uniqueName('page') });
    const seen: number[] = [];
    let path: string | null = '/api/users/?limit=2';
    while (path) {
      const response: TestResponse = await h.request('GET', path, { token: me.token });
      seen.push(...(await response.json()).map((u: { id: number }) => u.id));
      path = nextPath(response);
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(5);
  });

  it('needs authentication and bounds its input', async () => {
    expect((await h.request('GET', '/api/users/')).status).toBe(401);
    const me = await h.signUp();
    expect(
      (await h.request('GET', `/api/users/?search=${'x'.repeat(151)}`, { token: me.token })).status,
    ).toBe(400);
    expect((await h.request('GET', '/api/users/?limit=0', { token: me.token })).status).toBe(400);
  });
});
