import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  RefreshTokenRecord,
  RefreshTokenStore,
} from '../../src/application/ports/refresh-tokens.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** The RefreshTokenStore port, as every persistence adapter must honour it. */
export function refreshTokensContract(name: string, make: MakePersistence): void {
  describe(`RefreshTokenStore: ${name}`, () => {
    let persistence: Persistence;
    let userId: number;
    beforeEach(async () => {
      persistence = await make();
      userId = (await persistence.users.add(userDraft('ada'))).id;
    });
    afterEach(() => persistence.close());
    // The store is a port of the unit of work only: each call here is a transaction of its own.
    const store = <T>(work: (tokens: RefreshTokenStore) => Promise<T>) =>
      persistence.uow.run((tx) => work(tx.refreshTokens));
    const token = (digest: string, familyId = 'family-1') => ({
      digest,
      familyId,
      userId,
      issuedAt: at(0),
      expiresAt: at(14 * 86_400),
    });

    it('stores a token and reads it back by digest, unused and unrevoked', async () => {
      await store((tokens) => tokens.add(token('digest-1')));

      const expected: RefreshTokenRecord = { ...token('digest-1'), usedAt: null, revokedAt: null };
      expect(await store((tokens) => tokens.byDigest('digest-1'))).toEqual(expected);
      expect(await store((tokens) => tokens.byDigest('digest-2'))).toBeNull();
    });

    it('marks a token used once: a second use is how reuse shows', async () => {
      await store((tokens) => tokens.add(token('digest-1')));

      expect(await store((tokens) => tokens.markUsed('digest-1', at(60)))).toBe(true);
      expect(await store((tokens) => tokens.markUsed('digest-1', at(120)))).toBe(false);
      expect((await store((tokens) => tokens.byDigest('digest-1')))?.usedAt).toEqual(at(60));
      expect(await store((tokens) => tokens.markUsed('unknown', at(60)))).toBe(false);
    });

    it('lets exactly one of concurrent uses of a token succeed', async () => {
      await store((tokens) => tokens.add(token('digest-1')));

      const results = await Promise.all(
        [1, 2, 3, 4].map((i) => store((tokens) => tokens.markUsed('digest-1', at(i)))),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('revokes a whole family, keeping the first revocation time, and no other family', async () => {
      await store(async (tokens) => {
        await tokens.add(token('a1', 'family-a'));
        await tokens.add(token('a2', 'family-a'));
        await tokens.add(token('b1', 'family-b'));
      });

      await store((tokens) => tokens.revokeFamily('family-a', at(60)));
      await store((tokens) => tokens.revokeFamily('family-a', at(120)));

      const revokedAt = async (digest: string) =>
        (await store((tokens) => tokens.byDigest(digest)))?.revokedAt;
      expect(await revokedAt('a1')).toEqual(at(60));
      expect(await revokedAt('a2')).toEqual(at(60));
      expect(await revokedAt('b1')).toBeNull();
    });

    it("revokes every family of one user, and no one else's", async () => {
      const bob = (await persistence.users.add(userDraft('bob'))).id;
      await store(async (tokens) => {
        await tokens.add(token('a1', 'family-a'));
        await tokens.add(token('b1', 'family-b'));
        await tokens.add({ ...token('c1', 'family-c'), userId: bob });
      });

      await store((tokens) => tokens.revokeAllOf(userId, at(60)));

      const revokedAt = async (digest: string) =>
        (await store((tokens) => tokens.byDigest(digest)))?.revokedAt;
      expect(await revokedAt('a1')).toEqual(at(60));
      expect(await revokedAt('b1')).toEqual(at(60));
      expect(await revokedAt('c1')).toBeNull();
    });

    it('purges tokens that expired before an instant, at most `limit` at a time', async () => {
      await store(async (tokens) => {
        for (const [digest, expiresIn] of [
          ['old-1', 10],
          ['old-2', 20],
          ['old-3', 30],
          ['fresh', 100],
        ] as const)
          await tokens.add({ ...token(digest), expiresAt: at(expiresIn) });
      });

      expect(await store((tokens) => tokens.purgeExpired(at(50), 2))).toBe(2);
      expect(await store((tokens) => tokens.purgeExpired(at(50), 2))).toBe(1);
      expect(await store((tokens) => tokens.purgeExpired(at(50), 2))).toBe(0);
      for (const digest of ['old-1', 'old-2', 'old-3'])
        expect(await store((tokens) => tokens.byDigest(digest))).toBeNull();
      expect(await store((tokens) => tokens.byDigest('fresh'))).not.toBeNull();
    });

    it('forgets what a rolled-back transaction stored', async () => {
      await expect(
        store(async (tokens) => {
          await tokens.add(token('digest-1'));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      expect(await store((tokens) => tokens.byDigest('digest-1'))).toBeNull();
    });
  });
}
