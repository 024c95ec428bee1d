import type { Task, TaskChanges } from '../../domain/task.ts';
import type { Deps } from '../deps.ts';
import {
  lockTaskForWrite,
  recordCompletion,
  requireActiveAssignee,
  staleTask,
  type TaskWrite,
} from './task-writes.ts';

/** PUT and PATCH alike: fields left out stay as they are. */
export async function updateTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids'>,
  input: TaskWrite & { changes: TaskChanges },
): Promise<Task> {
  return deps.uow.run(async (tx) => {
    const task = await lockTaskForWrite(tx, input);
    const readVersion = task.version;
    const outcome = task.change(input.changes, input.actor, deps.clock.now());
    if (!outcome.history) return task;
    if (outcome.changed.includes('assignedTo') && task.assignedTo !== null)
      await requireActiveAssignee(tx.users, task.assignedTo);
    if (!(await tx.tasks.update(task, readVersion, outcome.history))) throw staleTask();
    if (outcome.completed) await recordCompletion(deps, tx, task, input.actor);
    return task;
  });
}
