import type { Task, TaskChanges } from '../../domain/task.ts';
import { completionRecord } from '../../domain/task-completed.ts';
import type { Deps } from '../deps.ts';
import type { Repositories } from '../ports/repositories.ts';
import {
  lockTaskForWrite,
  requireActiveAssignee,
  staleTask,
  type TaskWrite,
} from './task-writes.ts';

type UpdateDeps = Pick<Deps, 'uow' | 'clock' | 'ids' | 'tasks' | 'users'>;
type UpdateInput = TaskWrite & { changes: TaskChanges };

/**
 * PUT and PATCH alike: fields left out stay as they are.
 *
 * The write is tried first outside a transaction: the task is read, changed, and stored with
 * its history entry and its completion event by one version-checked statement, which commits on its own (two round
 * trips, where BEGIN, SELECT … FOR UPDATE, UPDATE, the event's INSERT and COMMIT took five).
 * Only if another write changed the task in between does it run again, under the row lock, as
 * every write did before: so a stale read is never stored, `If-Match` is checked against the
 * version the write replaces, and an event is recorded exactly when a completion is.
 */
export async function updateTask(deps: UpdateDeps, input: UpdateInput): Promise<Task> {
  const task = await changeTask(deps, deps, input);
  if (task) return task;
  return deps.uow.run(async (tx) => {
    const locked = await changeTask(deps, tx, input);
    if (!locked) throw staleTask();
    return locked;
  });
}

/** The task as changed and stored; null if its version moved since it was read. */
async function changeTask(
  deps: UpdateDeps,
  repositories: Pick<Repositories, 'tasks' | 'users'>,
  input: UpdateInput,
): Promise<Task | null> {
  const task = await lockTaskForWrite(repositories, input);
  const readVersion = task.version;
  const outcome = task.change(input.changes, input.actor, deps.clock.now());
  if (!outcome.history) return task;
  if (outcome.changed.includes('assignedTo') && task.assignedTo !== null)
    await requireActiveAssignee(repositories.users, task.assignedTo);
  const completion = outcome.completed
    ? completionRecord(task, input.actor.id, deps.ids.next())
    : undefined;
  return (await repositories.tasks.update(task, readVersion, outcome.history, completion))
    ? task
    : null;
}
