import { notFound } from '../../domain/errors.ts';
import { type Actor, assertStaff } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

/** Staff: a dead event goes back to pending, due now, with a fresh count of attempts. */
export async function retryDeadEvent(
  deps: Pick<Deps, 'queue' | 'clock'>,
  input: { actor: Actor; eventId: string },
): Promise<void> {
  assertStaff(input.actor);
  if (!(await deps.queue.revive(input.eventId, deps.clock.now()))) throw notFound('dead event');
}
