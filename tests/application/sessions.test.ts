import { beforeEach, describe, expect, it } from 'vitest';
import { logIn } from '../../src/application/accounts/log-in.ts';
import { refreshSession } from '../../src/application/accounts/refresh-session.ts';
import { revokeSession } from '../../src/application/accounts/revoke-session.ts';
import { whoAmI } from '../../src/application/accounts/who-am-i.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { type Harness, harness, PASSWORD } from '../harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: DomainError) => error.code,
  );

describe('logIn', () => {
  it('issues an access token that identifies the user, and a refresh token', async () => {
    const ada = await h.signUp();
    const pair = await logIn(h.deps, {
      username: ada.username,
      password: PASSWORD,
      client: 'test',
    });
    expect(await h.deps.tokens.verify(pair.access)).toEqual({ id: ada.id, isStaff: false });
    expect(pair.refresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.expiresIn).toBe(900);
  });

  it('finds the user in any letter case', async () => {
    const ada = await h.signUp();
    await expect(
      logIn(h.deps, { username: ada.username.toUpperCase(), password: PASSWORD, client: 'test' }),
    ).resolves.toHaveProperty('access');
  });

  it('refuses a wrong password, an unknown user and an inactive user alike', async () => {
    const ada = await h.signUp();
    const bob = await h.signUp();
    await h.deactivate(bob.id);
    for (const credentials of [
      { username: ada.username, password: 'wrong password' },
      { username: 'nobody', password: PASSWORD },
      { username: bob.username, password: PASSWORD },
    ])
      expect(await codeOf(logIn(h.deps, { ...credentials, client: 'test' }))).toBe(
        'invalid_credentials',
      );
  });
});

describe('refreshSession', () => {
  it('rotates: the new refresh token works, the old one works no more', async () => {
    const ada = await h.signUp();
    const next = await refreshSession(h.deps, { refresh: ada.refresh });
    expect(next.refresh).not.toBe(ada.refresh);
    await expect(refreshSession(h.deps, { refresh: next.refresh })).resolves.toHaveProperty(
      'access',
    );
  });

  it('revokes the whole family when a used token comes back', async () => {
    const ada = await h.signUp();
    const next = await refreshSession(h.deps, { refresh: ada.refresh });
    expect(await codeOf(refreshSession(h.deps, { refresh: ada.refresh }))).toBe('invalid_token');
    expect(await codeOf(refreshSession(h.deps, { refresh: next.refresh }))).toBe('invalid_token');
  });

  it('lets exactly one of two concurrent uses of a token win', async () => {
    const ada = await h.signUp();
    const results = await Promise.allSettled([
      refreshSession(h.deps, { refresh: ada.refresh }),
      refreshSession(h.deps, { refresh: ada.refresh }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('leaves other families alone', async () => {
    const ada = await h.signUp();
    const phone = await logIn(h.deps, {
      username: ada.username,
      password: PASSWORD,
      client: 'test',
    });
    await refreshSession(h.deps, { refresh: ada.refresh });
    await codeOf(refreshSession(h.deps, { refresh: ada.refresh }));
    await expect(refreshSession(h.deps, { refresh: phone.refresh })).resolves.toBeDefined();
  });

  it('refuses unknown and expired tokens, and tokens of deactivated users', async () => {
    const ada = await h.signUp();
    expect(await codeOf(refreshSession(h.deps, { refresh: 'not-a-token' }))).toBe('invalid_token');
    h.clock.advance(14 * 24 * 3600 * 1000);
    expect(await codeOf(refreshSession(h.deps, { refresh: ada.refresh }))).toBe('invalid_token');
    const bob = await h.signUp();
    await h.deactivate(bob.id);
    expect(await codeOf(refreshSession(h.deps, { refresh: bob.refresh }))).toBe('invalid_token');
  });
});

describe('revokeSession', () => {
  it("ends the token's family and ignores unknown tokens", async () => {
    const ada = await h.signUp();
    const next = await refreshSession(h.deps, { refresh: ada.refresh });
    await revokeSession(h.deps, { refresh: ada.refresh });
    expect(await codeOf(refreshSession(h.deps, { refresh: next.refresh }))).toBe('invalid_token');
    await expect(revokeSession(h.deps, { refresh: 'unknown' })).resolves.toBeUndefined();
  });
});

describe('whoAmI', () => {
  it('returns the user, and refuses a deactivated one', async () => {
    const ada = await h.signUp();
    expect((await whoAmI(h.deps, { id: ada.id, isStaff: false })).username).toBe(ada.username);
    await h.deactivate(ada.id);
    expect(await codeOf(whoAmI(h.deps, { id: ada.id, isStaff: false }))).toBe('invalid_token');
  });
});
