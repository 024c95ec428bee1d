import { draftTask, type Task, type TaskFields } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import {
  recordCompletion,
  requireActiveAssignee,
  requireAssignable,
  requireProjectTakes,
} from './task-writes.ts';

export async function createTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids' | 'tasks' | 'users'>,
  input: { actor: Actor; fields: Pick<TaskFields, 'title'> & Partial<TaskFields> },
): Promise<Task> {
  const { draft, completed, history } = draftTask(input.fields, input.actor, deps.clock.now());
  // A task outside any project that records no event is one INSERT (its history entry a CTE of
  // it), which commits on its own: a transaction around it would cost two more round trips
  // (BEGIN, COMMIT) and the unit of work's flush, for nothing. The assignee check reads committed
  // data either way (READ COMMITTED), as it did inside one. A project's checks hold its row until
  // the write commits, so they need the transaction.
  if (!completed && draft.projectId === null) {
    if (draft.assignedTo !== null) await requireActiveAssignee(deps.users, draft.assignedTo);
    return deps.tasks.add(draft, history);
  }
  return deps.uow.run(async (tx) => {
    if (draft.projectId !== null) await requireProjectTakes(tx, input.actor, draft.projectId);
    await requireAssignable(tx, draft);
    const task = await tx.tasks.add(draft, history);
    if (completed) await recordCompletion(deps, tx, task, input.actor);
    return task;
  });
}
