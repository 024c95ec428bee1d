import { fieldError, preconditionFailed } from '../domain/errors.ts';
import type { Task } from '../domain/task.ts';
import { taskCompleted } from '../domain/task-completed.ts';
import type { Actor } from '../domain/user.ts';
import type { Ports } from './ports/index.ts';
import type { Repositories, UserRepository } from './ports/repositories.ts';

/** Versions an `If-Match` accepts; undefined when the request is unconditional. */
export type ExpectedVersions = readonly number[] | undefined;

export async function requireActiveAssignee(users: UserRepository, id: number): Promise<void> {
  const user = await users.byId(id);
  if (!user?.isActive)
    throw fieldError('assigned_to', `Invalid pk "${id}" - object does not exist.`);
}

export function checkPrecondition(task: Task, expected: ExpectedVersions): void {
  if (expected && !expected.includes(task.version))
    throw preconditionFailed('The task has changed since the version given in If-Match.');
}

export const staleTask = () =>
  preconditionFailed('The task was changed by another request; fetch it again and retry.');

/** Adds the completion event to the outbox, inside the caller's transaction. */
export async function recordCompletion(
  deps: Pick<Ports, 'secrets'>,
  tx: Repositories,
  task: Task,
  actor: Actor,
): Promise<void> {
  const assignee = task.assignedTo === null ? null : await tx.users.byId(task.assignedTo);
  const completer = actor.id === assignee?.id ? assignee : await tx.users.byId(actor.id);
  await tx.outbox.add(
    taskCompleted(
      task,
      {
        assignee: assignee?.username ?? null,
        completer: completer?.username ?? `user ${actor.id}`,
      },
      deps.secrets.uuid(),
    ),
  );
}
