import { DomainError, NON_FIELD } from '../../domain/errors.ts';
import { issueTokens, type SessionDeps, type TokenPair } from './token-pairs.ts';
import { type PasswordCheckDeps, verifyPassword } from './verify-password.ts';

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
 * Logs in: a new refresh-token family starts with every successful login. The password is
 * checked, and failures counted, by `verifyPassword`.
 */
export async function logIn(
  deps: SessionDeps & PasswordCheckDeps,
  input: { username: string; password: string; client: string; signal?: AbortSignal },
): Promise<TokenPair> {
  const user = await verifyPassword(deps, input);
  if (!user) throw invalidCredentials();
  return deps.uow.run((tx) => issueTokens(deps, tx.refreshTokens, user, deps.ids.next()));
}
