import { draftProject, type ProjectFields } from '../../domain/project.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { ProjectView } from '../ports/projects.ts';
import { visibleProject } from './project-access.ts';

/** A new project, whose first owner is its creator. */
export async function createProject(
  deps: Pick<Deps, 'uow' | 'clock'>,
  input: { actor: Actor; fields: Pick<ProjectFields, 'name'> & Partial<ProjectFields> },
): Promise<ProjectView> {
  const now = deps.clock.now();
  const draft = draftProject(input.fields, input.actor, now);
  return deps.uow.run(async (tx) => {
    const project = await tx.projects.add(draft);
    await tx.memberships.put({
      projectId: project.id,
      userId: input.actor.id,
      role: 'owner',
      addedAt: now,
    });
    return visibleProject(tx.projects, input.actor, project.id);
  });
}
