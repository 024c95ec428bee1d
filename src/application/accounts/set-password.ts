import { notFound } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import type { HashRequest } from '../ports/password-hasher.ts';

/**
 * Stores a new password, already checked against the password rules, and ends every session of
 * the user: each refresh-token family is revoked, and each console session ended, so a thief
 * holding one cannot stay signed in.
 */
export async function setPassword(
  deps: Pick<Deps, 'uow' | 'hasher' | 'clock'>,
  input: { userId: number; password: string; request?: HashRequest },
): Promise<void> {
  // Hashed before the transaction: bcrypt takes hundreds of milliseconds.
  const passwordHash = await deps.hasher.hash(input.password, input.request);
  await deps.uow.run(async (tx) => {
    const user = await tx.users.byIdForUpdate(input.userId);
    if (!user) throw notFound('User');
    user.setPasswordHash(passwordHash);
    await tx.users.save(user);
    await tx.refreshTokens.revokeAllOf(user.id, deps.clock.now());
    await tx.staffSessions.removeAllOf(user.id);
  });
}
