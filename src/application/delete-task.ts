import { notFound } from '../domain/errors.ts';
import type { Actor } from '../domain/user.ts';
import type { Ports } from './ports/index.ts';
import { checkPrecondition, type ExpectedVersions, staleTask } from './task-writes.ts';

export async function deleteTask(
  deps: Pick<Ports, 'uow'>,
  input: { actor: Actor; id: number; ifMatch?: ExpectedVersions },
): Promise<void> {
  await deps.uow.run(async (tx) => {
    const task = await tx.tasks.byIdForUpdate(input.id);
    if (!task) throw notFound('Task');
    task.assertDeletableBy(input.actor);
    checkPrecondition(task, input.ifMatch);
    if (!(await tx.tasks.remove(task.id, task.version))) throw staleTask();
  });
}
