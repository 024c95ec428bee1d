import { assertReleasesTasks } from '../../domain/project.ts';
import type { Task, TaskChanges } from '../../domain/task.ts';
import type { Deps } from '../deps.ts';
import {
  lockTaskForWrite,
  recordCompletion,
  requireAssignable,
  requireProjectTakes,
  staleTask,
  type TaskWrite,
} from './task-writes.ts';

/** PUT and PATCH alike: fields left out stay as they are. */
export async function updateTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids'>,
  input: TaskWrite & { changes: TaskChanges },
): Promise<Task> {
  return deps.uow.run(async (tx) => {
    const { task, role } = await lockTaskForWrite(tx, input);
    const read = { version: task.version, projectId: task.projectId };
    const outcome = task.change(input.changes, input.actor, deps.clock.now(), role);
    if (!outcome.history) return task;
    if (outcome.changed.includes('projectId')) {
      // Moving a task needs editor rights on both sides.
      if (read.projectId !== null) assertReleasesTasks(input.actor, role);
      if (task.projectId !== null) await requireProjectTakes(tx, input.actor, task.projectId);
    }
    if (outcome.changed.includes('assignedTo') || outcome.changed.includes('projectId'))
      await requireAssignable(tx, task);
    if (!(await tx.tasks.update(task, read.version, outcome.history))) throw staleTask();
    if (outcome.completed) await recordCompletion(deps, tx, task, input.actor);
    return task;
  });
}
