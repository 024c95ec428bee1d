import type { User } from '../domain/user.ts';
import { type Page, toPage } from './page.ts';
import type { Ports } from './ports/index.ts';

export async function searchUsers(
  deps: Pick<Ports, 'users'>,
  input: { search?: string; afterId?: number; limit: number },
): Promise<Page<User, number>> {
  const rows = await deps.users.search({ ...input, limit: input.limit + 1 });
  return toPage(rows, input.limit, (user) => user.id);
}
