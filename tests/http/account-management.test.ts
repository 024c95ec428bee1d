import { beforeEach, describe, expect, it } from 'vitest';
import { makeApiToken } from '../api-tokens.ts';
import { type Harness, harness, PASSWORD, type SignedUp } from '../harness.ts';

let h: Harness;
let ada: SignedUp;
let staff: SignedUp;
beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
  staff = await h.signUp({ staff: true });
});

const NEW_PASSWORD = 'a brand new passphrase';
const refreshes = async (refresh: string) =>
  (await h.request('POST', '/api/token/refresh/', { json: { refresh } })).status;

describe('POST /api/me/password/', () => {
  const change = (json: unknown, token = ada.token) =>
    h.request('POST', '/api/me/password/', { token, json });

  it('changes the password and ends every session of the user', async () => {
    const other = await h.logIn(ada.username);
    const bob = await h.signUp();

    const response = await change({ current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(response.status).toBe(204);

    expect(await refreshes(ada.refresh)).toBe(401);
    expect(await refreshes(other.refresh)).toBe(401);
    expect(await refreshes(bob.refresh)).toBe(200);
    await expect(h.logIn(ada.username)).rejects.toThrow();
    await expect(h.logIn(ada.username, NEW_PASSWORD)).resolves.toHaveProperty('access');
  });

  it('refuses a wrong current password with errors.current_password, changing nothing', async () => {
    const response = await change({
      current_password: 'not my password',
      new_password: NEW_PASSWORD,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: {
        current_password: ['Your old password was entered incorrectly. Please enter it again.'],
      },
    });
    expect(await refreshes(ada.refresh)).toBe(200);
    await expect(h.logIn(ada.username)).resolves.toHaveProperty('access');
  });

  it.each([
    [{ current_password: PASSWORD, new_password: 'short' }, 'new_password'],
    [{ current_password: PASSWORD, new_password: '12345678901' }, 'new_password'],
    [{ current_password: PASSWORD, new_password: 'é'.repeat(40) }, 'new_password'],
    [{ current_password: PASSWORD }, 'new_password'],
    [{ new_password: NEW_PASSWORD }, 'current_password'],
    [{ current_password: PASSWORD, new_password: NEW_PASSWORD, extra: 1 }, 'extra'],
  ])('refuses %j with errors.%s', async (json, field) => {
    const response = await change(json);
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toHaveProperty(field);
    await expect(h.logIn(ada.username)).resolves.toHaveProperty('access');
  });

  it('refuses a new password equal to the username', async () => {
    const response = await change({ current_password: PASSWORD, new_password: ada.username });
    expect(response.status).toBe(400);
  });

  it("shares log-in's lockout: wrong guesses here block log-in, and the reverse", async () => {
    h = await harness({ rates: { loginFailures: { points: 3, durationSeconds: 900 } } });
    ada = await h.signUp();
    for (let i = 0; i < 2; i++)
      expect((await change({ current_password: 'guess', new_password: NEW_PASSWORD })).status).toBe(
        400,
      );
    await h.request('POST', '/api/token/', { json: { username: ada.username, password: 'guess' } });

    const locked = await change({ current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toMatch(/^\d+$/);
    const logIn = await h.request('POST', '/api/token/', {
      json: { username: ada.username, password: PASSWORD },
    });
    expect(logIn.status).toBe(429);
  });

  it('needs a signed-in caller', async () => {
    const response = await h.request('POST', '/api/me/password/', {
      json: { current_password: PASSWORD, new_password: NEW_PASSWORD },
    });
    expect(response.status).toBe(401);
  });
});

describe('PATCH /api/users/{id}/', () => {
  const patch = (id: number, json: unknown, token = staff.token) =>
    h.request('PATCH', `/api/users/${id}/`, { token, json });

  it('lets staff deactivate and reactivate an account, and answers with the account', async () => {
    const response = await patch(ada.id, { is_active: false });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: ada.id,
      username: ada.username,
      email: '',
      is_staff: false,
      is_active: false,
      date_joined: h.clock.now().toISOString(),
    });
    await expect(h.logIn(ada.username)).rejects.toThrow();
    expect(await refreshes(ada.refresh)).toBe(401);

    expect((await (await patch(ada.id, { is_active: true })).json()).is_active).toBe(true);
    await expect(h.logIn(ada.username)).resolves.toHaveProperty('access');
    // Reactivation does not bring back the sessions deactivation ended.
    expect(await refreshes(ada.refresh)).toBe(401);
  });

  it('grants and takes staff status, effective on the next log-in', async () => {
    expect((await (await patch(ada.id, { is_staff: true })).json()).is_staff).toBe(true);
    const { access } = await h.logIn(ada.username);
    expect((await (await h.request('GET', '/api/me/', { token: access })).json()).is_staff).toBe(
      true,
    );
    expect((await (await patch(ada.id, { is_staff: false })).json()).is_staff).toBe(false);
  });

  it('changes nothing for an empty body', async () => {
    const response = await patch(ada.id, {});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ is_active: true, is_staff: false });
  });

  it('refuses to let staff deactivate or demote themself (400)', async () => {
    for (const [json, field] of [
      [{ is_active: false }, 'is_active'],
      [{ is_staff: false }, 'is_staff'],
    ] as const) {
      const response = await patch(staff.id, json);
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toHaveProperty(field);
    }
    const me = await (await h.request('GET', '/api/me/', { token: staff.token })).json();
    expect(me.is_staff).toBe(true);
    expect((await patch(staff.id, { is_active: true, is_staff: true })).status).toBe(200);
  });

  it('refuses anyone but staff with 403, whether or not the id exists', async () => {
    for (const id of [staff.id, ada.id, 999_999]) {
      const response = await patch(id, { is_staff: true }, ada.token);
      expect(response.status, String(id)).toBe(403);
    }
    const me = await (await h.request('GET', '/api/me/', { token: ada.token })).json();
    expect(me.is_staff).toBe(false);
  });

  it('answers 404 to staff for an unknown id', async () => {
    for (const id of ['999999', 'abc', '0'])
      expect(
        (await h.request('PATCH', `/api/users/${id}/`, { token: staff.token, json: {} })).status,
      ).toBe(404);
  });

  it.each([[{ is_active: 'no' }], [{ is_staff: null }], [{ username: 'mallory' }], [[]]])(
    'refuses %j with 400',
    async (json) => {
      expect((await patch(ada.id, json)).status).toBe(400);
    },
  );

  it("accepts a staff user's write API token, as scripts that sync accounts need", async () => {
    const { secret } = await makeApiToken(h, staff.token, { scopes: ['write'] });
    expect((await patch(ada.id, { is_active: false }, secret)).status).toBe(200);
  });
});

describe('POST /api/users/{id}/password/', () => {
  const set = (id: number, json: unknown, token = staff.token) =>
    h.request('POST', `/api/users/${id}/password/`, { token, json });

  it("lets staff set a password and ends the account's sessions", async () => {
    const bob = await h.signUp();
    expect((await set(ada.id, { new_password: NEW_PASSWORD })).status).toBe(204);
    expect(await refreshes(ada.refresh)).toBe(401);
    expect(await refreshes(bob.refresh)).toBe(200);
    await expect(h.logIn(ada.username, NEW_PASSWORD)).resolves.toHaveProperty('access');
  });

  it('applies the password rules', async () => {
    for (const json of [{ new_password: 'short' }, { new_password: ada.username }, {}]) {
      const response = await set(ada.id, json);
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toHaveProperty('new_password');
    }
    expect(await refreshes(ada.refresh)).toBe(200);
  });

  it('refuses anyone but staff with 403, and answers 404 to staff for an unknown id', async () => {
    expect((await set(staff.id, { new_password: NEW_PASSWORD }, ada.token)).status).toBe(403);
    expect((await set(999_999, { new_password: NEW_PASSWORD }, ada.token)).status).toBe(403);
    expect((await set(999_999, { new_password: NEW_PASSWORD })).status).toBe(404);
    await expect(h.logIn(staff.username)).resolves.toHaveProperty('access');
  });

  it("refuses a staff user's API token, however scoped", async () => {
    const { secret } = await makeApiToken(h, staff.token, { scopes: ['write'] });
    const response = await set(ada.id, { new_password: NEW_PASSWORD }, secret);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'insufficient_scope' });
  });
});
