import { draftTask, type Task, type TaskFields } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { recordCompletion, requireAssignable, requireProjectTakes } from './task-writes.ts';

export async function createTask(
  deps: Pick<Deps, 'uow' | 'clock' | 'ids'>,
  input: { actor: Actor; fields: Pick<TaskFields, 'title'> & Partial<TaskFields> },
): Promise<Task> {
  const { draft, completed, history } = draftTask(input.fields, input.actor, deps.clock.now());
  return deps.uow.run(async (tx) => {
    if (draft.projectId !== null) await requireProjectTakes(tx, input.actor, draft.projectId);
    await requireAssignable(tx, draft);
    const task = await tx.tasks.add(draft, history);
    if (completed) await recordCompletion(deps, tx, task, input.actor);
    return task;
  });
}
