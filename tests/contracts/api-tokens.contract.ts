import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiTokenDraft } from '../../src/domain/api-token.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** The ApiTokenStore port, as every persistence adapter must honour it. */
export function apiTokensContract(name: string, make: MakePersistence): void {
  describe(`ApiTokenStore: ${name}`, () => {
    let persistence: Persistence;
    let ada: number;
    let bob: number;
    beforeEach(async () => {
      persistence = await make();
      ada = (await persistence.users.add(userDraft('ada'))).id;
      bob = (await persistence.users.add(userDraft('bob'))).id;
    });
    afterEach(() => persistence.close());
    const tokens = () => persistence.apiTokens;
    const draft = (overrides: Partial<ApiTokenDraft> = {}): ApiTokenDraft => ({
      userId: ada,
      name: 'export',
      scopes: ['read'],
      digest: `digest-${Math.random()}`,
      createdAt: at(0),
      expiresAt: null,
      ...overrides,
    });

    it('stores a token and finds it by digest, with every field', async () => {
      const expiring = draft({ scopes: ['read', 'write'], expiresAt: at(3600), digest: 'd1' });
      const added = await tokens().add(expiring);

      expect(added).toEqual({
        ...expiring,
        id: expect.any(Number),
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(added.isUsableAt(at(1))).toBe(true);
      expect(await tokens().byDigest('d1')).toEqual(added);
      expect(await tokens().byDigest('d2')).toBeNull();
    });

    it("lists a user's unrevoked tokens by id, a page at a time, and no one else's", async () => {
      const first = await tokens().add(draft());
      const second = await tokens().add(draft({ expiresAt: at(60) }));
      await tokens().add(draft({ userId: bob }));
      const third = await tokens().add(draft());
      const revoked = await tokens().add(draft());
      await tokens().revoke(ada, revoked.id, at(10));

      const ids = async (page: { afterId?: number; limit: number }) =>
        (await tokens().listOf(ada, page)).map((token) => token.id);
      expect(await ids({ limit: 10 })).toEqual([first.id, second.id, third.id]);
      expect(await ids({ limit: 2 })).toEqual([first.id, second.id]);
      expect(await ids({ afterId: second.id, limit: 2 })).toEqual([third.id]);
    });

    it("revokes only its owner's token, once, and keeps it findable as revoked", async () => {
      const token = await tokens().add(draft({ digest: 'd1' }));

      expect(await tokens().revoke(bob, token.id, at(10))).toBeNull();
      expect(await tokens().revoke(ada, token.id + 1000, at(10))).toBeNull();
      const revoked = await tokens().revoke(ada, token.id, at(10));
      expect(revoked).toEqual({ ...token, revokedAt: at(10) });
      expect(await tokens().revoke(ada, token.id, at(20))).toBeNull();
      const found = await tokens().byDigest('d1');
      expect(found?.revokedAt).toEqual(at(10));
      expect(found?.isUsableAt(at(11))).toBe(false);
    });

    it('lets exactly one of concurrent revocations find the token', async () => {
      const token = await tokens().add(draft());
      const results = await Promise.all(
        [1, 2, 3, 4].map((i) => tokens().revoke(ada, token.id, at(i))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('records a use unless one since the given instant is recorded already', async () => {
      const token = await tokens().add(draft({ digest: 'd1' }));
      const lastUsed = async () => (await tokens().byDigest('d1'))?.lastUsedAt;

      await tokens().recordUse(token.id, at(100), at(40));
      expect(await lastUsed()).toEqual(at(100));
      await tokens().recordUse(token.id, at(130), at(70));
      expect(await lastUsed()).toEqual(at(100));
      await tokens().recordUse(token.id, at(170), at(110));
      expect(await lastUsed()).toEqual(at(170));
      await tokens().recordUse(token.id + 1000, at(170), at(110));
    });

    it('purges the tokens expired or revoked before an instant, at most `limit` at a time', async () => {
      await tokens().add(draft({ digest: 'live' }));
      await tokens().add(draft({ digest: 'expired-long-ago', expiresAt: at(10) }));
      await tokens().add(draft({ digest: 'expires-later', expiresAt: at(1000) }));
      const revoked = await tokens().add(draft({ digest: 'revoked-long-ago' }));
      await tokens().revoke(ada, revoked.id, at(20));
      const recent = await tokens().add(draft({ digest: 'revoked-recently' }));
      await tokens().revoke(ada, recent.id, at(600));

      expect(await tokens().purgeExpired(at(500), 1)).toBe(1);
      expect(await tokens().purgeExpired(at(500), 10)).toBe(1);
      expect(await tokens().purgeExpired(at(500), 10)).toBe(0);

      const left = async (digest: string) => (await tokens().byDigest(digest)) !== null;
      expect(await left('live')).toBe(true);
      expect(await left('expired-long-ago')).toBe(false);
      expect(await left('expires-later')).toBe(true);
      expect(await left('revoked-long-ago')).toBe(false);
      expect(await left('revoked-recently')).toBe(true);
    });
  });
}
