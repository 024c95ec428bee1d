import { notFound } from '../../domain/errors.ts';
import { type Actor, assertStaff, type User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

/** Staff: one account, whatever its status. */
export async function getAccount(
  deps: Pick<Deps, 'users'>,
  input: { actor: Actor; id: number },
): Promise<User> {
  // Before the look-up, so that someone who is not staff learns nothing of which ids exist.
  assertStaff(input.actor);
  const user = await deps.users.byId(input.id);
  if (!user) throw notFound('User');
  return user;
}

/** Staff: the account of that name in any letter case, whatever its status; null if none. */
export function findAccountByUsername(
  deps: Pick<Deps, 'users'>,
  input: { actor: Actor; username: string },
): Promise<User | null> {
  assertStaff(input.actor);
  return deps.users.byUsername(input.username);
}
