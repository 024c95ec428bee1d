import type { ApiToken } from '../../domain/api-token.ts';
import type { Actor } from '../../domain/user.ts';
import { requireSession } from '../accounts/scopes.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';

/** The caller's own tokens that are not revoked, expired ones included, by ascending id. */
export async function listApiTokens(
  deps: Pick<Deps, 'apiTokens'>,
  input: { actor: Actor; afterId?: number; limit: number },
): Promise<Page<ApiToken, number>> {
  requireSession(input.actor);
  const rows = await deps.apiTokens.listOf(input.actor.id, {
    afterId: input.afterId,
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit, (token) => token.id);
}
