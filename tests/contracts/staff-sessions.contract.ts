import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffSessionRecord } from '../../src/application/ports/staff-sessions.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** The StaffSessionStore port, run against each persistence adapter. */
export function staffSessionsContract(name: string, make: MakePersistence): void {
  describe(`StaffSessionStore: ${name}`, () => {
    let persistence: Persistence;
    let ada: number;
    let bob: number;
    beforeEach(async () => {
      persistence = await make();
      ada = (await persistence.users.add(userDraft('ada', { isStaff: true }))).id;
      bob = (await persistence.users.add(userDraft('bob', { isStaff: true }))).id;
    });
    afterEach(() => persistence.close());
    const sessions = () => persistence.staffSessions;
    const session = (digest: string, userId: number, expiresIn = 3600): StaffSessionRecord => ({
      digest,
      userId,
      createdAt: at(0),
      expiresAt: at(expiresIn),
    });

    it('stores a session and reads it back by digest', async () => {
      await sessions().add(session('d1', ada));
      expect(await sessions().byDigest('d1')).toEqual(session('d1', ada));
      expect(await sessions().byDigest('d2')).toBeNull();
    });

    it('removes one session, or every session of a user', async () => {
      await sessions().add(session('a1', ada));
      await sessions().add(session('a2', ada));
      await sessions().add(session('b1', bob));
      await sessions().remove('a1');
      expect(await sessions().byDigest('a1')).toBeNull();
      expect(await sessions().byDigest('a2')).not.toBeNull();
      await sessions().removeAllOf(ada);
      expect(await sessions().byDigest('a2')).toBeNull();
      expect(await sessions().byDigest('b1')).not.toBeNull();
    });

    it('ends sessions with the transaction that ends them, or not at all', async () => {
      await sessions().add(session('a1', ada));
      await expect(
        persistence.uow.run(async (tx) => {
          await tx.staffSessions.removeAllOf(ada);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await sessions().byDigest('a1')).not.toBeNull();
      await persistence.uow.run((tx) => tx.staffSessions.removeAllOf(ada));
      expect(await sessions().byDigest('a1')).toBeNull();
    });

    it('purges sessions expired before an instant, at most `limit` at a time', async () => {
      await sessions().add(session('old1', ada, 10));
      await sessions().add(session('old2', bob, 20));
      await sessions().add(session('live', ada, 100));
      expect(await sessions().purgeExpired(at(50), 1)).toBe(1);
      expect(await sessions().purgeExpired(at(50), 10)).toBe(1);
      expect(await sessions().byDigest('live')).not.toBeNull();
    });
  });
}
