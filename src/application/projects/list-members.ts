import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';
import type { Member } from '../ports/projects.ts';
import { visibleProject } from './project-access.ts';

/** The members of a project the caller sees, by ascending user id. */
export async function listMembers(
  deps: Pick<Deps, 'projects' | 'memberships'>,
  input: { actor: Actor; id: number; afterUserId?: number; limit: number },
): Promise<Page<Member, number>> {
  await visibleProject(deps.projects, input.actor, input.id);
  const rows = await deps.memberships.list(input.id, {
    afterUserId: input.afterUserId,
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit, (member) => member.user.id);
}
