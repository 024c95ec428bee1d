import { notFound, preconditionFailed } from '../../domain/errors.ts';
import { type Task, unknownAssignee } from '../../domain/task.ts';
import { completionRecord } from '../../domain/task-completed.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { Repositories } from '../ports/repositories.ts';
import type { UserRepository } from '../ports/users.ts';

/** Versions an `If-Match` accepts; undefined when the request is unconditional. */
export type ExpectedVersions = readonly number[] | undefined;

export interface TaskWrite {
  actor: Actor;
  id: number;
  ifMatch?: ExpectedVersions;
}

export async function requireActiveAssignee(users: UserRepository, id: number): Promise<void> {
  const user = await users.byId(id);
  if (!user?.isActive) throw unknownAssignee(id);
}

/**
 * The opening of every write to an existing task: the task (locked for the transaction when `tx`
 * is a unit of work's, read as committed otherwise), once
 * the actor may see it, `allowed` (the write's own right) holds, and `If-Match` names its version.
 */
export async function lockTaskForWrite(
  tx: Pick<Repositories, 'tasks'>,
  write: TaskWrite,
  allowed: (task: Task) => void = () => undefined,
): Promise<Task> {
  const task = await tx.tasks.byIdForUpdate(write.id);
  if (!task) throw notFound('Task');
  task.assertVisibleTo(write.actor);
  allowed(task);
  if (write.ifMatch && !write.ifMatch.includes(task.version))
    throw preconditionFailed('The task has changed since the version given in If-Match.');
  return task;
}

export const staleTask = () =>
  preconditionFailed('The task was changed by another request; fetch it again and retry.');

/** Adds the completion event to the outbox, inside the caller's transaction. */
export async function recordCompletion(
  deps: Pick<Deps, 'ids'>,
  tx: Repositories,
  task: Task,
  actor: Actor,
): Promise<void> {
  await tx.outbox.add(completionRecord(task, actor.id, deps.ids.next()));
}
