import { draftTask, type Task, type TaskFields } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import {
  recordCompletion,
  requireAssignable,
  requireProjectTakes,
  scheduleReminder,
} from './task-writes.ts';

export async function createTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids' | 'settings'>,
  input: { actor: Actor; fields: Pick<TaskFields, 'title'> & Partial<TaskFields> },
): Promise<Task> {
  const now = deps.clock.now();
  const { draft, completed, history } = draftTask(input.fields, input.actor, now);
  return deps.uow.run(async (tx) => {
    if (draft.projectId !== null) await requireProjectTakes(tx, input.actor, draft.projectId);
    await requireAssignable(tx, draft);
    const task = await tx.tasks.add(draft, history);
    if (completed) await recordCompletion(deps, tx, task, input.actor);
    await scheduleReminder(deps, tx, task, now);
    return task;
  });
}
