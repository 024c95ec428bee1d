import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import type { UserDraft } from '../../src/domain/user.ts';
import type { MakePersistence, Persistence } from './persistence.ts';

const JOINED = new Date('2026-01-01T09:00:00.000Z');

export function userDraft(username: string, overrides: Partial<UserDraft> = {}): UserDraft {
  return {
    username,
    email: `${username}@example.com`,
    passwordHash: '$2b$04$hash',
    isStaff: false,
    isActive: true,
    dateJoined: JOINED,
    ...overrides,
  };
}

const isUsernameTaken = (error: unknown) =>
  error instanceof DomainError &&
  error.fields?.username?.[0] === 'A user with that username already exists.';

/** The UserRepository port, as every persistence adapter must honour it. */
export function usersContract(name: string, make: MakePersistence): void {
  describe(`UserRepository: ${name}`, () => {
    let persistence: Persistence;
    beforeEach(async () => {
      persistence = await make();
    });
    afterEach(() => persistence.close());
    const users = () => persistence.users;

    it('stores a user and reads it back by id, with every field', async () => {
      const draft = userDraft('ada', { isStaff: true, email: '' });
      const added = await users().add(draft);

      expect(added).toMatchObject({ ...draft, id: expect.any(Number) });
      expect(await users().byId(added.id)).toEqual(added);
      expect(await users().byId(added.id + 1000)).toBeNull();
    });

    it('finds a user by name in any letter case and in compatibility forms', async () => {
      const ada = await users().add(userDraft('Ada'));
      const zoe = await users().add(userDraft('Zoë'));

      expect((await users().byUsername('ADA'))?.id).toBe(ada.id);
      expect((await users().byUsername('ａｄａ'))?.id).toBe(ada.id);
      expect((await users().byUsername('ZOË'))?.id).toBe(zoe.id);
      expect(await users().byUsername('ad')).toBeNull();
    });

    it('refuses a name that exists in another letter case', async () => {
      await users().add(userDraft('Grace'));

      const error = await users()
        .add(userDraft('gRACE'))
        .catch((e: unknown) => e);

      expect(isUsernameTaken(error)).toBe(true);
    });

    it('gives every spelling of a name one identity: look-up and uniqueness by the key', async () => {
      for (const [first, ...others] of [
        ['xꟌ', 'xꟍ'],
        ['xᲉ', 'xᲊ'],
        ['Ǆemal', 'ǅemal', 'ǆemal'],
        ['Straße', 'STRASSE', 'straẞe'],
        ['vİctim', 'VİCTIM'],
        ['ＺＯＥ', 'zoe'],
      ] as const) {
        const user = await users().add(userDraft(first));
        for (const other of others) {
          expect((await users().byUsername(other))?.id, other).toBe(user.id);
          const error = await users()
            .add(userDraft(other))
            .catch((e: unknown) => e);
          expect(isUsernameTaken(error), other).toBe(true);
        }
      }
      // Keys differ where folding keeps letters apart: the dotted İ is not i.
      expect(await users().byUsername('victim')).toBeNull();
    });

    it('lets exactly one of concurrent registrations of one name win', async () => {
      const spellings = ['Linus', 'LINUS', 'linus', 'LiNuS', 'lINUS', 'Ｌｉｎｕｓ'];

      const results = await Promise.allSettled(
        spellings.map((name) => users().add(userDraft(name))),
      );

      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.flatMap((result) =>
        result.status === 'rejected' ? [result.reason] : [],
      );
      expect(won).toHaveLength(1);
      expect(lost.every(isUsernameTaken)).toBe(true);
    });

    it('searches active users by case-insensitive substring, by id, after a cursor', async () => {
      const ann = await users().add(userDraft('Ann'));
      await users().add(userDraft('Joanna', { isActive: false }));
      const hannah = await users().add(userDraft('HANNAH'));
      const bob = await users().add(userDraft('bob'));
      const nannette = await users().add(userDraft('nannette'));

      const ids = async (query: Parameters<Persistence['users']['search']>[0]) =>
        (await users().search(query)).map((user) => user.id);

      expect(await ids({ search: 'aNn', limit: 10 })).toEqual([ann.id, hannah.id, nannette.id]);
      expect(await ids({ search: 'ann', afterId: ann.id, limit: 1 })).toEqual([hannah.id]);
      expect(await ids({ limit: 10 })).toEqual([ann.id, hannah.id, bob.id, nannette.id]);
      expect(await ids({ search: 'zzz', limit: 10 })).toEqual([]);
      const joanna = (await users().byUsername('Joanna'))?.id;
      expect(await ids({ search: 'ann', limit: 10, includeInactive: true })).toEqual([
        ann.id,
        joanna,
        hannah.id,
        nannette.id,
      ]);
    });

    it('counts every account, active or not', async () => {
      expect(await users().count()).toBe(0);
      await users().add(userDraft('ann'));
      await users().add(userDraft('joanna', { isActive: false }));
      expect(await users().count()).toBe(2);
    });

    it("saves an account's password hash and status", async () => {
      const ada = await users().add(userDraft('ada'));
      const staff = (await users().add(userDraft('root', { isStaff: true }))).actor;

      await persistence.uow.run(async (tx) => {
        const user = await tx.users.byIdForUpdate(ada.id);
        user?.changeStatus({ isActive: false, isStaff: true }, staff);
        user?.setPasswordHash('$2b$04$other');
        if (user) await tx.users.save(user);
      });

      expect(await users().byId(ada.id)).toEqual({
        ...ada,
        isActive: false,
        isStaff: true,
        passwordHash: '$2b$04$other',
      });
    });

    it('keeps concurrent writers of one user in turn, so neither change is lost', async () => {
      const ada = await users().add(userDraft('ada'));
      const staff = (await users().add(userDraft('root', { isStaff: true }))).actor;
      let locked = () => {};
      const firstHasLock = new Promise<void>((resolve) => {
        locked = resolve;
      });

      const deactivate = persistence.uow.run(async (tx) => {
        const user = await tx.users.byIdForUpdate(ada.id);
        locked();
        await new Promise((resolve) => setTimeout(resolve, 50));
        user?.changeStatus({ isActive: false }, staff);
        if (user) await tx.users.save(user);
      });
      await firstHasLock;
      const newPassword = persistence.uow.run(async (tx) => {
        const user = await tx.users.byIdForUpdate(ada.id);
        user?.setPasswordHash('$2b$04$other');
        if (user) await tx.users.save(user);
      });
      await Promise.all([deactivate, newPassword]);

      expect(await users().byId(ada.id)).toMatchObject({
        isActive: false,
        passwordHash: '$2b$04$other',
      });
    });

    it('matches search text literally, letters of any script in any case', async () => {
      const percent = await users().add(userDraft('50%_off'));
      await users().add(userDraft('500ff'));
      const zoe = await users().add(userDraft('zoë.b'));

      expect((await users().search({ search: '%_', limit: 10 })).map((u) => u.id)).toEqual([
        percent.id,
      ]);
      expect((await users().search({ search: 'OË', limit: 10 })).map((u) => u.id)).toEqual([
        zoe.id,
      ]);
    });
  });
}
