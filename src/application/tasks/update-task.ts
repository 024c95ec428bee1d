import { assertReleasesTasks } from '../../domain/project.ts';
import { reminderTime } from '../../domain/reminders.ts';
import type { Task, TaskChanges } from '../../domain/task.ts';
import { completionRecord } from '../../domain/task-completed.ts';
import type { Deps } from '../deps.ts';
import type { Repositories } from '../ports/repositories.ts';
import {
  lockTaskForWrite,
  requireAssignable,
  requireProjectTakes,
  scheduleReminder,
  staleTask,
  type TaskWrite,
  touchesReminder,
} from './task-writes.ts';

type Writers = Pick<Repositories, 'tasks' | 'users' | 'memberships' | 'projects'>;
type UpdateDeps = Pick<Deps, 'uow' | 'clock' | 'ids' | 'settings'> & Writers;
type UpdateInput = TaskWrite & { changes: TaskChanges };

/**
 * PUT and PATCH alike: fields left out stay as they are.
 *
 * The write is tried first outside a transaction: the task is read, changed, and stored with
 * its history entry, its completion event and the withdrawal of its unsent reminder by one
 * version-checked statement, which commits on its own (two round trips, where BEGIN, SELECT …
 * FOR UPDATE, UPDATE, the event's INSERT, the withdrawal and COMMIT took six). It runs again
 * under the row lock, as every write did before, if another write changed the task in between,
 * if it moves the task or changes its assignee, whose project and membership checks hold their
 * rows until the write commits, or if it schedules a reminder, another outbox row. So a stale read is never stored, `If-Match` is
 * checked against the version the write replaces, and an event is recorded exactly when a
 * completion is.
 */
export async function updateTask(deps: UpdateDeps, input: UpdateInput): Promise<Task> {
  const task = await changeTask(deps, deps, input, null);
  if (task) return task;
  return deps.uow.run(async (tx) => {
    const locked = await changeTask(deps, tx, input, tx);
    if (!locked) throw staleTask();
    return locked;
  });
}

/** The task as changed and stored; null when the write must run again in `tx`, under the lock. */
async function changeTask(
  deps: UpdateDeps,
  repositories: Writers,
  input: UpdateInput,
  tx: Repositories | null,
): Promise<Task | null> {
  const { task, role } = await lockTaskForWrite(repositories, input, undefined, tx !== null);
  const read = { version: task.version, projectId: task.projectId };
  // An unsent reminder is always for the task's current due date: an undated task has none.
  const mayHaveReminder = task.dueAt !== null;
  const now = deps.clock.now();
  const outcome = task.change(input.changes, input.actor, now, role);
  if (!outcome.history) return task;
  const moves = outcome.changed.includes('projectId');
  const assigns = moves || outcome.changed.includes('assignedTo');
  const touches = touchesReminder(outcome.changed);
  // The reminder not yet sent may be for an old due date, title or assignee: withdrawn by the
  // update's own statement. A new one is an outbox row of its own, written under the lock.
  const withdraws = touches && mayHaveReminder;
  const schedules = touches && reminderTime(task, deps.settings.reminderLeadMs, now) !== null;
  if (!tx) {
    if (assigns || schedules) return null;
  } else {
    if (moves) {
      // Moving a task needs editor rights on both sides.
      if (read.projectId !== null) assertReleasesTasks(input.actor, role);
      if (task.projectId !== null) await requireProjectTakes(tx, input.actor, task.projectId);
    }
    if (assigns) await requireAssignable(tx, task);
  }
  const completion = outcome.completed
    ? completionRecord(task, input.actor.id, deps.ids.next())
    : undefined;
  if (
    !(await repositories.tasks.update(task, read.version, outcome.history, completion, withdraws))
  )
    return null;
  if (tx && schedules) await scheduleReminder(deps, tx, task, now);
  return task;
}
