import type { ApiToken } from '../../domain/api-token.ts';
import { notFound } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import { requireSession } from '../accounts/scopes.ts';
import type { Deps } from '../deps.ts';

/** Revokes one of the caller's own tokens; another user's id is not found, as an unknown one. */
export async function revokeApiToken(
  deps: Pick<Deps, 'apiTokens' | 'clock'>,
  input: { actor: Actor; id: number },
): Promise<ApiToken> {
  requireSession(input.actor);
  const token = await deps.apiTokens.revoke(input.actor.id, input.id, deps.clock.now());
  if (!token) throw notFound('API token');
  return token;
}
