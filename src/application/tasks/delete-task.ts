import type { Deps } from '../deps.ts';
import { lockTaskForWrite, staleTask, type TaskWrite } from './task-writes.ts';

export async function deleteTask(deps: Pick<Deps, 'uow'>, input: TaskWrite): Promise<void> {
  await deps.uow.run(async (tx) => {
    const { task } = await lockTaskForWrite(tx, input, ({ task, role }) =>
      task.assertDeletableBy(input.actor, role),
    );
    if (!(await tx.tasks.remove(task.id, task.version))) throw staleTask();
    await tx.outbox.withdrawReminder(task.id);
  });
}
