import type { Task } from '../../domain/task.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { visibleTask } from './task-access.ts';

export async function getTask(
  deps: Pick<Deps, 'tasks' | 'memberships'>,
  input: { actor: Actor; id: number },
): Promise<Task> {
  return (await visibleTask(deps, input.actor, input.id)).task;
}
