import type { User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

/**
 * The staff member a console session belongs to, or null when it expired, was ended, or its
 * account is no longer active staff. The account is read on every request, not cached, so
 * deactivation and demotion end the session at once.
 */
export async function currentSession(
  deps: Pick<Deps, 'staffSessions' | 'users' | 'secrets' | 'clock'>,
  secret: string,
): Promise<User | null> {
  const digest = deps.secrets.digest(secret);
  const session = await deps.staffSessions.byDigest(digest);
  if (!session) return null;
  const user = session.expiresAt > deps.clock.now() ? await deps.users.byId(session.userId) : null;
  if (user?.isActive && user.isStaff) return user;
  await deps.staffSessions.remove(digest);
  return null;
}
