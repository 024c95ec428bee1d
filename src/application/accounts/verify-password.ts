import { ThrottledError } from '../../domain/errors.ts';
import { USERNAME_KEY_MAX, type User, usernameKey } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

export type PasswordCheckDeps = Pick<Deps, 'users' | 'hasher' | 'loginFailures'>;

/**
 * Checks a user's password under log-in's rules, for log-in and for everything else that asks
 * for a password. Failures are counted per username key and client; once that budget is spent
 * the pair is refused (429), right password or not, until the window ends. A success clears the
 * count. An unknown user costs the same hashing as a known one. Returns the user when the
 * password is right and the account active, null otherwise.
 *
 * The attempt takes its point before the password is checked, not after: of any number of
 * guesses at once, at most the budget reach the hasher, and the rest are refused unchecked. An
 * attempt whose password could not be checked at all (no hash worker in time, the client gone)
 * gives its point back.
 */
export async function verifyPassword(
  deps: PasswordCheckDeps,
  input: { username: string; password: string; client: string; signal?: AbortSignal },
): Promise<User | null> {
  // Longer keys belong to no name that can exist; capping them keeps a hostile name from
  // bloating the store.
  const attempt = `${usernameKey(input.username).slice(0, USERNAME_KEY_MAX)}|${input.client}`;
  const failures = await deps.loginFailures.take(attempt);
  if (!failures.allowed) throw new ThrottledError(failures.resetSeconds);
  let user: User | null;
  let valid: boolean;
  try {
    user = await deps.users.byUsername(input.username);
    valid = await deps.hasher.verify(input.password, user?.passwordHash ?? null, {
      client: input.client,
      signal: input.signal,
    });
  } catch (error) {
    await deps.loginFailures.giveBack(attempt);
    throw error;
  }
  if (!user || !valid || !user.isActive) return null;
  await deps.loginFailures.reset(attempt);
  return user;
}
