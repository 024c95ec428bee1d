import { notFound } from '../domain/errors.ts';
import type { Task, TaskChanges } from '../domain/task.ts';
import type { Actor } from '../domain/user.ts';
import type { Ports } from './ports/index.ts';
import {
  checkPrecondition,
  type ExpectedVersions,
  recordCompletion,
  requireActiveAssignee,
  staleTask,
} from './task-writes.ts';

/** PUT and PATCH alike: fields left out stay as they are. */
export async function updateTask(
  deps: Pick<Ports, 'uow' | 'clock' | 'secrets'>,
  input: { actor: Actor; id: number; changes: TaskChanges; ifMatch?: ExpectedVersions },
): Promise<Task> {
  return deps.uow.run(async (tx) => {
    const task = await tx.tasks.byIdForUpdate(input.id);
    if (!task) throw notFound('Task');
    task.assertVisibleTo(input.actor);
    checkPrecondition(task, input.ifMatch);
    const readVersion = task.version;
    const outcome = task.change(input.changes, input.actor, deps.clock.now());
    if (outcome.changed.length === 0) return task;
    if (outcome.changed.includes('assignedTo') && task.assignedTo !== null)
      await requireActiveAssignee(tx.users, task.assignedTo);
    if (!(await tx.tasks.update(task, readVersion))) throw staleTask();
    if (outcome.completed) await recordCompletion(deps, tx, task, input.actor);
    return task;
  });
}
