import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_STATUS_TTL_MS } from '../../src/application/accounts/access-token-authenticator.ts';
import { authenticator } from '../../src/application/accounts/authenticator.ts';
import type { Deps } from '../../src/application/deps.ts';
import type { ApiTokenStore } from '../../src/application/ports/api-tokens.ts';
import { createApiToken } from '../../src/application/tokens/create-api-token.ts';
import { listApiTokens } from '../../src/application/tokens/list-api-tokens.ts';
import { revokeApiToken } from '../../src/application/tokens/revoke-api-token.ts';
import type { Scope } from '../../src/domain/api-token.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import type { Actor } from '../../src/domain/user.ts';
import { type Harness, harness, type SignedUp } from '../harness.ts';

let h: Harness;
let ada: SignedUp;
let actor: Actor;
beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
  actor = { id: ada.id, isStaff: false };
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: DomainError) => error.code,
  );

const make = (scopes: Scope[] = ['read'], expiresAt: Date | null = null, owner = actor) =>
  createApiToken(h.deps, { actor: owner, request: { name: 'ci', scopes, expiresAt } });

/** The store, counting the reads and writes authentication makes. */
function counted(deps: Deps) {
  const calls = { byDigest: 0, recordUse: 0 };
  const store = deps.apiTokens;
  const apiTokens: ApiTokenStore = {
    ...store,
    byDigest: (digest) => {
      calls.byDigest++;
      return store.byDigest(digest);
    },
    recordUse: (...args) => {
      calls.recordUse++;
      return store.recordUse(...args);
    },
  };
  return { deps: { ...deps, apiTokens }, calls };
}

/** Lets the writes that authentication leaves off the request's path land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('createApiToken', () => {
  it('makes a tsk_ secret of 32 random bytes and stores only its keyed digest', async () => {
    const { token, secret } = await make(['write']);
    expect(secret).toMatch(/^tsk_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ userId: ada.id, scopes: ['read', 'write'], expiresAt: null });
    expect(token.digest).toBe(h.deps.apiTokenDigest.digest(secret));
    const stored = await h.deps.apiTokens.byDigest(token.digest);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
  });

  it('is refused to a caller signed in with an API token', async () => {
    const { token } = await make(['read', 'write']);
    const viaToken = { ...actor, apiToken: { id: token.id, scopes: token.scopes } };
    expect(await codeOf(make(['read'], null, viaToken))).toBe('insufficient_scope');
    expect(await codeOf(listApiTokens(h.deps, { actor: viaToken, limit: 10 }))).toBe(
      'insufficient_scope',
    );
    expect(await codeOf(revokeApiToken(h.deps, { actor: viaToken, id: token.id }))).toBe(
      'insufficient_scope',
    );
  });
});

describe('revokeApiToken', () => {
  it("finds only the caller's own tokens", async () => {
    const bob = await h.signUp();
    const { token } = await make(['read'], null, { id: bob.id, isStaff: false });
    expect(await codeOf(revokeApiToken(h.deps, { actor, id: token.id }))).toBe('not_found');
    const staff = await h.signUp({ staff: true });
    expect(
      await codeOf(
        revokeApiToken(h.deps, { actor: { id: staff.id, isStaff: true }, id: token.id }),
      ),
    ).toBe('not_found');
    await expect(
      revokeApiToken(h.deps, { actor: { id: bob.id, isStaff: false }, id: token.id }),
    ).resolves.toMatchObject({ revokedAt: h.clock.now() });
  });
});

describe('authentication with an API token', () => {
  it('names its owner, with the token and its scopes', async () => {
    const { token, secret } = await make(['read']);
    expect(await authenticator(h.deps).authenticate(secret, 'read')).toEqual({
      id: ada.id,
      isStaff: false,
      apiToken: { id: token.id, scopes: ['read'] },
    });
  });

  it('gives a read token reads only, a write token both, and a session anything', async () => {
    const auth = authenticator(h.deps);
    const read = await make(['read']);
    const write = await make(['write']);
    expect(await codeOf(auth.authenticate(read.secret, 'write'))).toBe('insufficient_scope');
    await expect(auth.authenticate(write.secret, 'read')).resolves.toHaveProperty('id', ada.id);
    await expect(auth.authenticate(write.secret, 'write')).resolves.toHaveProperty('id', ada.id);
    expect(await auth.authenticate(ada.token, 'write')).toEqual(actor);
  });

  it('reads the store once per token per TTL, however many requests come', async () => {
    const { deps, calls } = counted(h.deps);
    const auth = authenticator(deps);
    const { secret } = await make();
    await Promise.all(Array.from({ length: 20 }, () => auth.authenticate(secret, 'read')));
    for (let i = 0; i < 20; i++) await auth.authenticate(secret, 'read');
    expect(calls.byDigest).toBe(1);
    h.clock.advance(ACCOUNT_STATUS_TTL_MS);
    await auth.authenticate(secret, 'read');
    expect(calls.byDigest).toBe(2);
  });

  it('fails at once where it was revoked, and on other instances within the TTL', async () => {
    const here = authenticator(h.deps);
    const there = authenticator(h.deps);
    const { token, secret } = await make();
    await here.authenticate(secret, 'read');
    await there.authenticate(secret, 'read');

    here.forgetApiToken(await revokeApiToken(h.deps, { actor, id: token.id }));

    expect(await codeOf(here.authenticate(secret, 'read'))).toBe('invalid_token');
    h.clock.advance(ACCOUNT_STATUS_TTL_MS - 1);
    await expect(there.authenticate(secret, 'read')).resolves.toHaveProperty('id', ada.id);
    h.clock.advance(1);
    expect(await codeOf(there.authenticate(secret, 'read'))).toBe('invalid_token');
  });

  it('fails at its expiry on every instance, whatever they remember', async () => {
    const here = authenticator(h.deps);
    const there = authenticator(h.deps);
    const { secret } = await make(['read'], new Date(h.clock.now().getTime() + 5000));
    await here.authenticate(secret, 'read');
    await there.authenticate(secret, 'read');
    h.clock.advance(5000);
    expect(await codeOf(here.authenticate(secret, 'read'))).toBe('invalid_token');
    expect(await codeOf(there.authenticate(secret, 'read'))).toBe('invalid_token');
  });

  it('records a use at most once a minute per token, across instances', async () => {
    const { deps, calls } = counted(h.deps);
    const here = authenticator(deps);
    const there = authenticator(deps);
    const { token, secret } = await make();
    const lastUsed = async () => (await h.deps.apiTokens.byDigest(token.digest))?.lastUsedAt;
    const started = h.clock.now();

    for (let i = 0; i < 5; i++) await here.authenticate(secret, 'read');
    await settle();
    expect(calls.recordUse).toBe(1);
    expect(await lastUsed()).toEqual(started);

    h.clock.advance(ACCOUNT_STATUS_TTL_MS);
    for (let i = 0; i < 5; i++) await there.authenticate(secret, 'read');
    await settle();
    expect(calls.recordUse).toBe(1);

    h.clock.advance(60_000);
    await here.authenticate(secret, 'read');
    await there.authenticate(secret, 'read');
    await settle();
    expect(await lastUsed()).toEqual(h.clock.now());
  });

  it("stops working within the TTL of its owner's deactivation", async () => {
    const auth = authenticator(h.deps);
    const { secret } = await make();
    await auth.authenticate(secret, 'read');
    await h.deactivate(ada.id);
    h.clock.advance(ACCOUNT_STATUS_TTL_MS);
    expect(await codeOf(auth.authenticate(secret, 'read'))).toBe('invalid_token');
  });

  it('does not read the store for a secret this service cannot have made', async () => {
    const { deps, calls } = counted(h.deps);
    const auth = authenticator(deps);
    for (const secret of ['tsk_', 'tsk_a b', 'tsk_ü', `tsk_${'a'.repeat(251)}`])
      expect(await codeOf(auth.authenticate(secret, 'read'))).toBe('invalid_token');
    expect(calls.byDigest).toBe(0);
  });
});
