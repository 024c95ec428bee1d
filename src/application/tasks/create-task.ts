import { reminderTime } from '../../domain/reminders.ts';
import { draftTask, type Task, type TaskFields } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import {
  recordCompletion,
  requireActiveAssignee,
  requireAssignable,
  requireProjectTakes,
  scheduleReminder,
} from './task-writes.ts';

export async function createTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids' | 'tasks' | 'users' | 'settings'>,
  input: { actor: Actor; fields: Pick<TaskFields, 'title'> & Partial<TaskFields> },
): Promise<Task> {
  const now = deps.clock.now();
  const { draft, completed, history } = draftTask(input.fields, input.actor, now);
  // A task outside any project that records no event is one INSERT (its history entry a CTE of
  // it), which commits on its own: a transaction around it would cost two more round trips
  // (BEGIN, COMMIT) and the unit of work's flush, for nothing. The assignee check reads committed
  // data either way (READ COMMITTED), as it did inside one. A project's checks hold its row until
  // the write commits, and a reminder is an outbox row of its own, so these need the transaction.
  const reminds = reminderTime(draft, deps.settings.reminderLeadMs, now) !== null;
  if (!completed && draft.projectId === null && !reminds) {
    if (draft.assignedTo !== null) await requireActiveAssignee(deps.users, draft.assignedTo);
    return deps.tasks.add(draft, history);
  }
  return deps.uow.run(async (tx) => {
    if (draft.projectId !== null) await requireProjectTakes(tx, input.actor, draft.projectId);
    await requireAssignable(tx, draft);
    const task = await tx.tasks.add(draft, history);
    if (completed) await recordCompletion(deps, tx, task, input.actor);
    await scheduleReminder(deps, tx, task, now);
    return task;
  });
}
