import type { ApiToken, Scope } from '../../domain/api-token.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { apiTokenAuthenticator, isApiTokenSecret } from '../tokens/api-token-authenticator.ts';
import {
  ACCOUNT_STATUS_TTL_MS,
  accessTokenAuthenticator,
  accountStatuses,
} from './access-token-authenticator.ts';
import { requireScope } from './scopes.ts';

/** Every signed-in request passes here: the one place its credential meets the scope it needs. */
export interface Authenticator {
  /**
   * The caller an access token (JWT) or a personal API token (`tsk_…`) names, allowed to do
   * what `needs` says; throws invalid_token or insufficient_scope otherwise.
   */
  authenticate(credential: string, needs: Scope): Promise<Actor>;
  /** Forgets what this process remembers of a token, so that its revocation holds at once. */
  forgetApiToken(token: ApiToken): void;
}

export function authenticator(
  deps: Pick<Deps, 'tokens' | 'users' | 'apiTokens' | 'apiTokenDigest' | 'clock'>,
  ttlMs = ACCOUNT_STATUS_TTL_MS,
): Authenticator {
  // One account-status cache behind both kinds of credential.
  const statuses = accountStatuses(deps, ttlMs);
  const sessions = accessTokenAuthenticator(deps, ttlMs, statuses);
  const apiTokens = apiTokenAuthenticator(deps, statuses, ttlMs);
  return {
    async authenticate(credential, needs) {
      const actor = isApiTokenSecret(credential)
        ? await apiTokens.authenticate(credential)
        : await sessions(credential);
      requireScope(actor, needs);
      return actor;
    },
    forgetApiToken: (token) => apiTokens.forget(token),
  };
}
