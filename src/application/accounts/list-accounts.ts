import { type Actor, assertStaff, type User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';

/** Staff: every account, inactive ones too, whose name contains `search`, by ascending id. */
export async function listAccounts(
  deps: Pick<Deps, 'users'>,
  input: { actor: Actor; search?: string; afterId?: number; limit: number },
): Promise<Page<User, number>> {
  assertStaff(input.actor);
  const { search, afterId, limit } = input;
  const rows = await deps.users.search({
    search,
    afterId,
    limit: limit + 1,
    includeInactive: true,
  });
  return toPage(rows, limit, (user) => user.id);
}
