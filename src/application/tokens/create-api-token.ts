import {
  API_TOKEN_PREFIX,
  type ApiToken,
  type ApiTokenRequest,
  draftApiToken,
} from '../../domain/api-token.ts';
import type { Actor } from '../../domain/user.ts';
import { requireSession } from '../accounts/scopes.ts';
import type { Deps } from '../deps.ts';

export interface CreatedApiToken {
  token: ApiToken;
  /** Shown to its owner this once; only its digest is stored. */
  secret: string;
}

export async function createApiToken(
  deps: Pick<Deps, 'apiTokens' | 'apiTokenDigest' | 'secrets' | 'clock'>,
  input: { actor: Actor; request: ApiTokenRequest },
): Promise<CreatedApiToken> {
  requireSession(input.actor);
  const secret = `${API_TOKEN_PREFIX}${deps.secrets.token()}`;
  const draft = draftApiToken(
    input.request,
    { userId: input.actor.id, digest: deps.apiTokenDigest.digest(secret) },
    deps.clock.now(),
  );
  return { token: await deps.apiTokens.add(draft), secret };
}
