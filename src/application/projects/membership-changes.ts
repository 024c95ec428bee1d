import { assertOwnerRemains } from '../../domain/project.ts';
import type { ProjectRole } from '../../domain/rights.ts';
import type { ProjectView } from '../ports/projects.ts';
import type { Repositories } from '../ports/repositories.ts';
import { staleProject } from './project-access.ts';

/**
 * Before the member `userId`, now `from`, becomes `to` (null: leaves): the project keeps an
 * owner, and the owner it names is still one. The project's row is locked by the caller, so
 * two owners demoting each other at once take turns and the second is refused.
 */
export async function keepOwners(
  tx: Repositories,
  view: ProjectView,
  change: { userId: number; from: ProjectRole | null; to: ProjectRole | null; now: Date },
): Promise<void> {
  if (change.from !== 'owner' || change.to === 'owner') return;
  const { project } = view;
  const owners = await tx.memberships.owners(project.id);
  assertOwnerRemains(owners, change.userId, change.to);
  if (project.ownerId !== change.userId) return;
  const readVersion = project.version;
  project.handOver(owners.find((id) => id !== change.userId) as number, change.now);
  if (!(await tx.projects.update(project, readVersion))) throw staleProject();
}
