import { notFound } from '../../domain/errors.ts';
import type { Deps } from '../deps.ts';
import { keepOwners } from './membership-changes.ts';
import { lockProjectForChange, type ProjectWrite } from './project-access.ts';

/**
 * Removes `userId` from the project: owners and staff remove anyone, a member may leave. They
 * keep only what being the creator or the assignee of a task gives them.
 */
export async function removeMember(
  deps: Pick<Deps, 'uow' | 'clock'>,
  input: ProjectWrite & { userId: number },
): Promise<void> {
  await deps.uow.run(async (tx) => {
    const view = await lockProjectForChange(
      tx.projects,
      input,
      () => input.actor.id === input.userId,
    );
    const from = await tx.memberships.roleOf(view.project.id, input.userId);
    if (from === null) throw notFound('Member');
    await keepOwners(tx, view, { userId: input.userId, from, to: null, now: deps.clock.now() });
    await tx.memberships.remove(view.project.id, input.userId);
  });
}
