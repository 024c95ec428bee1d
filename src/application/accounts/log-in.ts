import { DomainError, NON_FIELD, ThrottledError } from '../../domain/errors.ts';
import { USERNAME_MAX, usernameKey } from '../../domain/user.ts';
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
 * per username and client; once that budget is spent the pair is refused, right password or not,
 * until the window ends. A success clears the count.
 */
export async function logIn(
  deps: SessionDeps & Pick<Deps, 'users' | 'hasher' | 'loginFailures'>,
  input: { username: string; password: string; client: string },
): Promise<TokenPair> {
  // Longer names cannot exist; capping the key keeps a hostile name from bloating the store.
  const attempt = `${usernameKey(input.username).slice(0, USERNAME_MAX)}|${input.client}`;
  const failures = await deps.loginFailures.peek(attempt);
  if (!failures.allowed) throw new ThrottledError(failures.resetSeconds);
  const user = await deps.users.byUsername(input.username);
  const valid = await deps.hasher.verify(input.password, user?.passwordHash ?? null);
  if (!user || !valid || !user.isActive) {
    await deps.loginFailures.consume(attempt);
    throw invalidCredentials();
  }
  await deps.loginFailures.reset(attempt);
  return deps.uow.run((tx) => issueTokens(deps, tx.refreshTokens, user, deps.ids.next()));
}
