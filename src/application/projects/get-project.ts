import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { ProjectView } from '../ports/projects.ts';
import { visibleProject } from './project-access.ts';

export function getProject(
  deps: Pick<Deps, 'projects'>,
  input: { actor: Actor; id: number },
): Promise<ProjectView> {
  return visibleProject(deps.projects, input.actor, input.id);
}
