import { assertReleasesTasks } from '../../domain/project.ts';
import type { Task, TaskChanges } from '../../domain/task.ts';
import { completionRecord } from '../../domain/task-completed.ts';
import type { Deps } from '../deps.ts';
import type { Repositories } from '../ports/repositories.ts';
import {
  lockTaskForWrite,
  requireAssignable,
  requireProjectTakes,
  staleTask,
  type TaskWrite,
} from './task-writes.ts';

type Writers = Pick<Repositories, 'tasks' | 'users' | 'memberships' | 'projects'>;
type UpdateDeps = Pick<Deps, 'uow' | 'clock' | 'ids'> & Writers;
type UpdateInput = TaskWrite & { changes: TaskChanges };

/**
 * PUT and PATCH alike: fields left out stay as they are.
 *
 * The write is tried first outside a transaction: the task is read, changed, and stored with
 * its history entry and its completion event by one version-checked statement, which commits on
 * its own (two round trips, where BEGIN, SELECT … FOR UPDATE, UPDATE, the event's INSERT and
 * COMMIT took five). It runs again under the row lock, as every write did before, if another
 * write changed the task in between, or if it moves the task or changes its assignee, whose
 * project and membership checks hold their rows until the write commits. So a stale read is
 * never stored, `If-Match` is checked against the version the write replaces, and an event is
 * recorded exactly when a completion is.
 */
export async function updateTask(deps: UpdateDeps, input: UpdateInput): Promise<Task> {
  const task = await changeTask(deps, deps, input, false);
  if (task) return task;
  return deps.uow.run(async (tx) => {
    const locked = await changeTask(deps, tx, input, true);
    if (!locked) throw staleTask();
    return locked;
  });
}

/** The task as changed and stored; null when the write must run again under the lock. */
async function changeTask(
  deps: UpdateDeps,
  repositories: Writers,
  input: UpdateInput,
  inTransaction: boolean,
): Promise<Task | null> {
  const { task, role } = await lockTaskForWrite(repositories, input);
  const read = { version: task.version, projectId: task.projectId };
  const outcome = task.change(input.changes, input.actor, deps.clock.now(), role);
  if (!outcome.history) return task;
  const moves = outcome.changed.includes('projectId');
  const assigns = moves || outcome.changed.includes('assignedTo');
  if (assigns && !inTransaction) return null;
  if (moves) {
    // Moving a task needs editor rights on both sides.
    if (read.projectId !== null) assertReleasesTasks(input.actor, role);
    if (task.projectId !== null)
      await requireProjectTakes(repositories, input.actor, task.projectId);
  }
  if (assigns) await requireAssignable(repositories, task);
  const completion = outcome.completed
    ? completionRecord(task, input.actor.id, deps.ids.next())
    : undefined;
  return (await repositories.tasks.update(task, read.version, outcome.history, completion))
    ? task
    : null;
}
