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
  const access = lock
    ? await lockedWithRole(repositories, actor, id)
    : await repositories.tasks.byIdWithRole(id, actor.id);
  if (!access) throw notFound('Task');
  access.task.assertVisibleTo(actor, access.role);
  return access;
}

// Under the task's row lock, the membership is read (and held) on its own, in the same unit of
// work: a removal from the project then waits for the write.
async function lockedWithRole(
  repositories: Readers,
  actor: Actor,
  id: number,
): Promise<TaskAccess | null> {
  const task = await repositories.tasks.byIdForUpdate(id);
  return task && { task, role: await roleFor(repositories.memberships, task, actor) };
}
