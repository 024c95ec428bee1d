import { draftTask, type Task, type TaskFields } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { recordCompletion, requireActiveAssignee } from './task-writes.ts';

export async function createTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids' | 'tasks' | 'users'>,
  input: { actor: Actor; fields: Pick<TaskFields, 'title'> & Partial<TaskFields> },
): Promise<Task> {
  const { draft, completed, history } = draftTask(input.fields, input.actor, deps.clock.now());
  // A task that records no event is one INSERT (its history entry a CTE of it), which commits on
  // its own: a transaction around it would cost two more round trips (BEGIN, COMMIT) and the unit
  // of work's flush, for nothing. The assignee check reads committed data either way (READ
  // COMMITTED), as it did inside one.
  if (!completed) {
    if (draft.assignedTo !== null) await requireActiveAssignee(deps.users, draft.assignedTo);
    return deps.tasks.add(draft, history);
  }
  return deps.uow.run(async (tx) => {
    if (draft.assignedTo !== null) await requireActiveAssignee(tx.users, draft.assignedTo);
    const task = await tx.tasks.add(draft, history);
    await recordCompletion(deps, tx, task, input.actor);
    return task;
  });
}
