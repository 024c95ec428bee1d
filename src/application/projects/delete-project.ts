import { projectNotEmpty } from '../../domain/project.ts';
import type { Deps } from '../deps.ts';
import { lockProjectForChange, type ProjectWrite, staleProject } from './project-access.ts';

/** Deletes an empty project and its memberships; one that holds tasks stays (409). */
export async function deleteProject(deps: Pick<Deps, 'uow'>, input: ProjectWrite): Promise<void> {
  await deps.uow.run(async (tx) => {
    const { project } = await lockProjectForChange(tx.projects, input);
    if (await tx.projects.holdsTasks(project.id)) throw projectNotEmpty();
    if (!(await tx.projects.remove(project.id, project.version))) throw staleProject();
  });
}
