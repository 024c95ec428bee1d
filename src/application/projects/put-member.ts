import { fieldError } from '../../domain/errors.ts';
import type { ProjectRole } from '../../domain/rights.ts';
import type { Deps } from '../deps.ts';
import type { Member } from '../ports/projects.ts';
import { keepOwners } from './membership-changes.ts';
import { lockProjectForChange, type ProjectWrite } from './project-access.ts';

/** Adds `userId` to the project as `role`, or changes their role: owners' and staff's to do. */
export async function putMember(
  deps: Pick<Deps, 'uow' | 'clock'>,
  input: ProjectWrite & { userId: number; role: ProjectRole },
): Promise<{ member: Member; added: boolean }> {
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    const view = await lockProjectForChange(tx.projects, input);
    const user = await tx.users.byId(input.userId);
    if (!user?.isActive)
      throw fieldError('user', `Invalid pk "${input.userId}" - object does not exist.`);
    const from = await tx.memberships.roleOf(view.project.id, user.id);
    await keepOwners(tx, view, { userId: user.id, from, to: input.role, now });
    if (from !== input.role)
      await tx.memberships.put({
        projectId: view.project.id,
        userId: user.id,
        role: input.role,
        addedAt: now,
      });
    const member = await tx.memberships.member(view.project.id, user.id);
    return { member: member as Member, added: from === null };
  });
}
