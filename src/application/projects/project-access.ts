import { forbidden, notFound, preconditionFailed } from '../../domain/errors.ts';
import { projectRights } from '../../domain/rights.ts';
import type { Actor } from '../../domain/user.ts';
import type { ProjectRepository, ProjectView, RowLock } from '../ports/projects.ts';
import type { ExpectedVersions } from '../tasks/task-writes.ts';

/** Who acts on which project, on which condition: what every project use case starts from. */
export interface ProjectWrite {
  actor: Actor;
  id: number;
  ifMatch?: ExpectedVersions;
}

/** The project as the actor reads it, once they may see it. */
export async function visibleProject(
  projects: ProjectRepository,
  actor: Actor,
  id: number,
  lock?: RowLock,
): Promise<ProjectView> {
  const view = await projects.find(id, actor.id, lock);
  if (!view || !projectRights(actor, view.role).sees) throw notFound('Project');
  return view;
}

/**
 * The opening of every change of a project or of its members: the project, locked until the
 * transaction ends, once the actor may manage it (`mayAct` widens that, as a member may leave)
 * and `If-Match` names its version.
 */
export async function lockProjectForChange(
  projects: ProjectRepository,
  write: ProjectWrite,
  mayAct: (view: ProjectView) => boolean = () => false,
): Promise<ProjectView> {
  const view = await visibleProject(projects, write.actor, write.id, 'update');
  if (!projectRights(write.actor, view.role).manages && !mayAct(view))
    throw forbidden('Only owners of the project and staff may do this.');
  if (write.ifMatch && !write.ifMatch.includes(view.project.version))
    throw preconditionFailed('The project has changed since the version given in If-Match.');
  return view;
}

export const staleProject = () =>
  preconditionFailed('The project was changed by another request; fetch it again and retry.');
