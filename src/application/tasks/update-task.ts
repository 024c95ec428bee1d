import { assertReleasesTasks } from '../../domain/project.ts';
import type { Task, TaskChanges } from '../../domain/task.ts';
import type { Deps } from '../deps.ts';
import {
  lockTaskForWrite,
  recordCompletion,
  requireAssignable,
  requireProjectTakes,
  scheduleReminder,
  staleTask,
  type TaskWrite,
  touchesReminder,
} from './task-writes.ts';

/** PUT and PATCH alike: fields left out stay as they are. */
export async function updateTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids' | 'settings'>,
  input: TaskWrite & { changes: TaskChanges },
): Promise<Task> {
  return deps.uow.run(async (tx) => {
    const { task, role } = await lockTaskForWrite(tx, input);
    const read = { version: task.version, projectId: task.projectId };
    // An unsent reminder is always for the task's current due date: an undated task has none.
    const mayHaveReminder = task.dueAt !== null;
    const now = deps.clock.now();
    const outcome = task.change(input.changes, input.actor, now, role);
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
    if (touchesReminder(outcome.changed)) {
      // The reminder not yet sent may be for an old due date, title or assignee.
      if (mayHaveReminder) await tx.outbox.withdrawReminder(task.id);
      await scheduleReminder(deps, tx, task, now);
    }
    return task;
  });
}
