import { type Actor, assertStaff } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { OutboxStats } from '../ports/outbox-queue.ts';

export interface Overview {
  users: number;
  tasks: number;
  projects: number;
  outbox: OutboxStats;
}

/** Staff: how much there is, and how the notifications are doing. */
export async function getOverview(
  deps: Pick<Deps, 'users' | 'tasks' | 'projects' | 'queue' | 'clock'>,
  input: { actor: Actor },
): Promise<Overview> {
  assertStaff(input.actor);
  const [users, tasks, projects, outbox] = await Promise.all([
    deps.users.count(),
    deps.tasks.count(),
    deps.projects.count(),
    deps.queue.stats(deps.clock.now()),
  ]);
  return { users, tasks, projects, outbox };
}
