import type { User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';

export async function searchUsers(
  deps: Pick<Deps, 'users'>,
  input: { search?: string; afterId?: number; limit: number },
): Promise<Page<User, number>> {
  const rows = await deps.users.search({ ...input, limit: input.limit + 1 });
  return toPage(rows, input.limit, (user) => user.id);
}
