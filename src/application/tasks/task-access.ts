import { notFound } from '../../domain/errors.ts';
import type { ProjectRole } from '../../domain/rights.ts';
import type { Task } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Repositories } from '../ports/repositories.ts';

type Readers = Pick<Repositories, 'tasks' | 'memberships'>;

/**
 * The actor's role in the task's project, which every right over the task is decided from. It
 * is read where the task is read, in the same transaction for a write, and never cached: a
 * member removed from a project loses sight of its tasks with the removal's commit.
 */
export function roleFor(
  memberships: Readers['memberships'],
  task: Pick<Task, 'projectId'>,
  actor: Actor,
): Promise<ProjectRole | null> {
  return task.projectId === null
    ? Promise.resolve(null)
    : memberships.roleOf(task.projectId, actor.id);
}

export interface TaskAccess {
  task: Task;
  /** The actor's role in the task's project. */
  role: ProjectRole | null;
}

/** The task `id` and the actor's role in its project, once the actor may see the task. */
export async function visibleTask(
  repositories: Readers,
  actor: Actor,
  id: number,
  lock = false,
): Promise<TaskAccess> {
  const task = await (lock ? repositories.tasks.byIdForUpdate(id) : repositories.tasks.byId(id));
  if (!task) throw notFound('Task');
  const role = await roleFor(repositories.memberships, task, actor);
  task.assertVisibleTo(actor, role);
  return { task, role };
}
