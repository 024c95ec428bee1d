import { notFound } from '../../domain/errors.ts';
import type { Task } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

export async function getTask(
  deps: Pick<Deps, 'tasks'>,
  input: { actor: Actor; id: number },
): Promise<Task> {
  const task = await deps.tasks.byId(input.id);
  if (!task) throw notFound('Task');
  task.assertVisibleTo(input.actor);
  return task;
}
