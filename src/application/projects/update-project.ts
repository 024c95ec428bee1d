import type { ProjectChanges } from '../../domain/project.ts';
import type { Deps } from '../deps.ts';
import type { ProjectView } from '../ports/projects.ts';
import { lockProjectForChange, type ProjectWrite, staleProject } from './project-access.ts';

/** Renames, describes, archives or restores a project: its owners' and staff's to do. */
export async function updateProject(
  deps: Pick<Deps, 'uow' | 'clock'>,
  input: ProjectWrite & { changes: ProjectChanges },
): Promise<ProjectView> {
  return deps.uow.run(async (tx) => {
    const view = await lockProjectForChange(tx.projects, input);
    const readVersion = view.project.version;
    if (!view.project.change(input.changes, deps.clock.now())) return view;
    if (!(await tx.projects.update(view.project, readVersion))) throw staleProject();
    return view;
  });
}
