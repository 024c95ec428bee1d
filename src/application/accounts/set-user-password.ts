import { notFound } from '../../domain/errors.ts';
import { type Actor, assertStaff, validatePassword } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { HashRequest } from '../ports/password-hasher.ts';
import { requireSession } from './scopes.ts';
import { setPassword } from './set-password.ts';

/** Staff give an account a new password; the account's sessions end with the old one. */
export async function setUserPassword(
  deps: Pick<Deps, 'uow' | 'users' | 'hasher' | 'clock'>,
  input: { actor: Actor; id: number; newPassword: string; request?: HashRequest },
): Promise<void> {
  requireSession(input.actor);
  assertStaff(input.actor);
  const user = await deps.users.byId(input.id);
  if (!user) throw notFound('User');
  validatePassword(input.newPassword, user.username, 'new_password');
  await setPassword(deps, { userId: user.id, password: input.newPassword, request: input.request });
}
