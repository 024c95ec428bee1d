import {
  LockMode,
  type RequiredEntityData,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { type EntityManager, raw } from '@mikro-orm/postgresql';
import type { UserRepository } from '../../../application/ports/users.ts';
import { normalizeUsername, User, usernameKey, usernameTaken } from '../../../domain/user.ts';
import { UserEntity } from './entities.ts';
import { likePattern } from './like-pattern.ts';
import { hasNulCharacter } from './nul-characters.ts';

const USERNAME_KEY = 'users_username_key_key';

// The driver's error, copied onto MikroORM's exception, names the violated constraint.
const isViolationOf = (error: unknown, constraint: string) =>
  error instanceof UniqueConstraintViolationException &&
  (error as { constraint?: unknown }).constraint === constraint;

/**
 * Users over PostgreSQL. A username's identity is the domain's key, stored beside the name in
 * `username_key` with the unique index on it, so the database alone decides which of two racing
 * registrations wins, and no letter is folded one way here and another in the domain.
 */
export function mikroOrmUsers(em: () => EntityManager): UserRepository {
  // Read-only results: nothing to track, and nothing for a transaction's flush to write back.
  const untracked = { disableIdentityMap: true } as const;
  return {
    byId: (id) => em().findOne(UserEntity, { id }, untracked),
    // Outside a transaction there is nothing to hold the lock for: a plain read.
    byIdForUpdate: (id) =>
      em().findOne(
        UserEntity,
        { id },
        {
          ...untracked,
          ...(em().isInTransaction() && { lockMode: LockMode.PESSIMISTIC_WRITE }),
        },
      ),
    byUsername: async (username) =>
      hasNulCharacter(username)
        ? null
        : em().findOne(UserEntity, { [raw('username_key')]: usernameKey(username) }, untracked),
    async add(draft) {
      // Registration hands over a normalized name already; stored with the key the index is on.
      const row = { ...draft, username: normalizeUsername(draft.username) };
      try {
        // `actor` is derived from the columns, so it is no part of what is inserted.
        const id = await em().insert(UserEntity, {
          ...row,
          usernameKey: usernameKey(row.username),
        } as unknown as RequiredEntityData<User>);
        return new User({ ...row, id });
      } catch (error) {
        if (isViolationOf(error, USERNAME_KEY)) throw usernameTaken();
        throw error;
      }
    },
    async save(user) {
      const { passwordHash, isActive, isStaff } = user;
      await em().nativeUpdate(UserEntity, { id: user.id }, { passwordHash, isActive, isStaff });
    },
    search: async ({ search, afterId = 0, limit, includeInactive = false }) =>
      search && hasNulCharacter(search)
        ? []
        : em().find(
            UserEntity,
            {
              ...(!includeInactive && { isActive: true }),
              id: { $gt: afterId },
              ...(search && { username: { $ilike: likePattern(search) } }),
            },
            { orderBy: { id: 'asc' }, limit, ...untracked },
          ),
    count: () => em().count(UserEntity, {}),
  };
}
