import { DomainError, NON_FIELD } from '../../domain/errors.ts';
import type { User } from '../../domain/user.ts';
import { type PasswordCheckDeps, verifyPassword } from '../accounts/verify-password.ts';
import type { Deps } from '../deps.ts';

const MESSAGE = 'Please enter the correct username and password for a staff account.';

/** The same answer for a wrong password and for an account that is not staff, as Django's admin. */
const refused = () =>
  new DomainError('validation', 'invalid_credentials', MESSAGE, { [NON_FIELD]: [MESSAGE] });

export interface StaffSession {
  /** What the browser holds (the cookie); only its digest is stored. */
  secret: string;
  user: User;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Signs a staff member in to the console. The password is checked by log-in's own code, so
 * failures count against the same per-username-and-address budget as `/api/token/`, and a pair
 * locked out there is locked out here.
 */
export async function signIn(
  deps: PasswordCheckDeps & Pick<Deps, 'staffSessions' | 'secrets' | 'clock' | 'settings'>,
  input: { username: string; password: string; client: string; signal?: AbortSignal },
): Promise<StaffSession> {
  const user = await verifyPassword(deps, input);
  if (!user?.isStaff) throw refused();
  const secret = deps.secrets.token();
  const createdAt = deps.clock.now();
  const expiresAt = new Date(createdAt.getTime() + deps.settings.staffSessionTtlSeconds * 1000);
  await deps.staffSessions.add({
    digest: deps.secrets.digest(secret),
    userId: user.id,
    createdAt,
    expiresAt,
  });
  return { secret, user, createdAt, expiresAt };
}
