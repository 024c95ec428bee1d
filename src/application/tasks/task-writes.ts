import { fieldError, preconditionFailed } from '../../domain/errors.ts';
import { unknownProject } from '../../domain/project.ts';
import { REMINDED_FIELDS, reminderTime, taskDue } from '../../domain/reminders.ts';
import { type Task, type TaskFields, unknownAssignee } from '../../domain/task.ts';
import { completionRecord } from '../../domain/task-completed.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { Repositories } from '../ports/repositories.ts';
import type { UserRepository } from '../ports/users.ts';
import { type TaskAccess, visibleTask } from './task-access.ts';

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
 * The assignee of a task, if it has one, is an active user and, in a project, one of its
 * members. Inside the write's transaction, so the membership cannot go before the write commits.
 */
export async function requireAssignable(
  tx: Pick<Repositories, 'users' | 'memberships'>,
  task: Pick<TaskFields, 'assignedTo' | 'projectId'>,
): Promise<void> {
  if (task.assignedTo === null) return;
  await requireActiveAssignee(tx.users, task.assignedTo);
  if (
    task.projectId !== null &&
    (await tx.memberships.roleOf(task.projectId, task.assignedTo)) === null
  )
    throw fieldError('assigned_to', "The assignee must be a member of the task's project.");
}

/** The project `projectId` takes a task from `actor`; it stays so until the write commits. */
export async function requireProjectTakes(
  tx: Pick<Repositories, 'projects'>,
  actor: Actor,
  projectId: number,
): Promise<void> {
  const view = await tx.projects.find(projectId, actor.id, 'share');
  if (!view) throw unknownProject(projectId);
  view.project.assertTakesTasksFrom(actor, view.role);
}

/**
 * The opening of every write to an existing task: the task (locked for the transaction when `tx`
 * is a unit of work's; `lock` false reads it as committed, with the role, in one round trip) and
 * the actor's role in its project, once the actor may see it, `allowed` (the write's own right)
 * holds, and `If-Match` names its version.
 */
export async function lockTaskForWrite(
  tx: Pick<Repositories, 'tasks' | 'memberships'>,
  write: TaskWrite,
  allowed: (access: TaskAccess) => void = () => undefined,
  lock = true,
): Promise<TaskAccess> {
  const access = await visibleTask(tx, write.actor, write.id, lock);
  allowed(access);
  if (write.ifMatch && !write.ifMatch.includes(access.task.version))
    throw preconditionFailed('The task has changed since the version given in If-Match.');
  return access;
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

/** Whether a change of these fields may change the task's reminder. */
export const touchesReminder = (changed: readonly (keyof TaskFields)[]) =>
  changed.some((field) => (REMINDED_FIELDS as readonly string[]).includes(field));

/**
 * Adds the task's reminder to the outbox, inside the caller's transaction, if the task should
 * have one. The outbox keeps one reminder per task and `dueAt`, so a due date already reminded
 * is not reminded again.
 */
export async function scheduleReminder(
  deps: Pick<Deps, 'ids' | 'settings'>,
  tx: Repositories,
  task: Task,
  now: Date,
): Promise<void> {
  const sendAt = reminderTime(task, deps.settings.reminderLeadMs, now);
  if (sendAt === null || task.dueAt === null || task.assignedTo === null) return;
  const assignee = await tx.users.byId(task.assignedTo);
  await tx.outbox.add(
    taskDue({ ...task, dueAt: task.dueAt }, assignee?.username ?? null, sendAt, deps.ids.next()),
  );
}
