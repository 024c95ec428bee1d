import { DomainError, NON_FIELD, ThrottledError } from '../../domain/errors.ts';
import { USERNAME_KEY_MAX, type User, usernameKey } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { issueTokens, type SessionDeps, type TokenPair } from './token-pairs.ts';

const invalidCredentials = () =>
  new DomainError(
    'validation',
    'invalid_credentials',
    'Unable to log in with provided credentials.',
    {
      [NON_FIELD]: ['Unable to log in with provided credentials.'],
    },
  );

/**
 * Logs in: a new refresh-token family starts with every successful login. Failures are counted
 * per username key and client; once that budget is spent the pair is refused, right password or
 * not, until the window ends. A success clears the count.
 *
 * The attempt takes its point before the password is checked, not after: of any number of
 * guesses at once, at most the budget reach the hasher, and the rest are refused unchecked. An
 * attempt whose password could not be checked at all (no hash worker in time, the client gone)
 * gives its point back.
 */
export async function logIn(
  deps: SessionDeps & Pick<Deps, 'users' | 'hasher' | 'loginFailures'>,
  input: { username: string; password: string; client: string; signal?: AbortSignal },
): Promise<TokenPair> {
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
  if (!user || !valid || !user.isActive) throw invalidCredentials();
  await deps.loginFailures.reset(attempt);
  return deps.uow.run((tx) => issueTokens(deps, tx.refreshTokens, user, deps.ids.next()));
}
