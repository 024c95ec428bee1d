import { notFound } from '../../domain/errors.ts';
import { type AccountStatus, type Actor, assertStaff, type User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

/**
 * Staff activate or deactivate an account and grant or take staff status. Deactivation also
 * ends the account's sessions, so that reactivating it later does not bring them back; losing
 * active or staff status ends its console sessions.
 */
export async function changeUserStatus(
  deps: Pick<Deps, 'uow' | 'clock'>,
  input: { actor: Actor; id: number; changes: Partial<AccountStatus> },
): Promise<User> {
  // Before the look-up, so that someone who is not staff learns nothing of which ids exist.
  assertStaff(input.actor);
  return deps.uow.run(async (tx) => {
    const user = await tx.users.byIdForUpdate(input.id);
    if (!user) throw notFound('User');
    const wasActive = user.isActive;
    user.changeStatus(input.changes, input.actor);
    await tx.users.save(user);
    if (wasActive && !user.isActive) await tx.refreshTokens.revokeAllOf(user.id, deps.clock.now());
    if (!user.isActive || !user.isStaff) await tx.staffSessions.removeAllOf(user.id);
    return user;
  });
}
