import { ThrottledError } from '../../domain/errors.ts';
import { USERNAME_MAX, type User, usernameKey } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

export type PasswordCheckDeps = Pick<Deps, 'users' | 'hasher' | 'loginFailures'>;

/**
 * Checks a user's password under log-in's rules, for log-in and for everything else that asks
 * for a password: failures are counted per username and client; once that budget is spent the
 * pair is refused, right password or not, until the window ends (429). A success clears the
 * count. An unknown user costs the same hashing as a known one. Returns the user when the
 * password is right and the account active, null otherwise.
 */
export async function verifyPassword(
  deps: PasswordCheckDeps,
  input: { username: string; password: string; client: string },
): Promise<User | null> {
  // Longer names cannot exist; capping the key keeps a hostile name from bloating the store.
  const attempt = `${usernameKey(input.username).slice(0, USERNAME_MAX)}|${input.client}`;
  const failures = await deps.loginFailures.peek(attempt);
  if (!failures.allowed) throw new ThrottledError(failures.resetSeconds);
  const user = await deps.users.byUsername(input.username);
  const valid = await deps.hasher.verify(input.password, user?.passwordHash ?? null);
  if (!user || !valid || !user.isActive) {
    await deps.loginFailures.consume(attempt);
    return null;
  }
  await deps.loginFailures.reset(attempt);
  return user;
}
