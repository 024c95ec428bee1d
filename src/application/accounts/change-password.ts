import { accountGone, fieldError } from '../../domain/errors.ts';
import { type Actor, validatePassword } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { requireSession } from './scopes.ts';
import { setPassword } from './set-password.ts';
import { type PasswordCheckDeps, verifyPassword } from './verify-password.ts';

/**
 * The caller changes their own password. The current one is checked as log-in checks it, with
 * the same failure budget per username and client, so this is no way around log-in's lockout.
 */
export async function changePassword(
  deps: PasswordCheckDeps & Pick<Deps, 'uow' | 'clock'>,
  input: {
    actor: Actor;
    currentPassword: string;
    newPassword: string;
    client: string;
    signal?: AbortSignal;
  },
): Promise<void> {
  requireSession(input.actor);
  const me = await deps.users.byId(input.actor.id);
  if (!me?.isActive) throw accountGone();
  // The rules first: a new password that cannot be used costs no hashing and no attempt.
  validatePassword(input.newPassword, me.username, 'new_password');
  const user = await verifyPassword(deps, {
    username: me.username,
    password: input.currentPassword,
    client: input.client,
    signal: input.signal,
  });
  if (!user)
    throw fieldError(
      'current_password',
      'Your old password was entered incorrectly. Please enter it again.',
    );
  await setPassword(deps, {
    userId: user.id,
    password: input.newPassword,
    request: { client: input.client, signal: input.signal },
  });
}
