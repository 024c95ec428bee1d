import { notFound } from '../../domain/errors.ts';
import { type Actor, assertStaff } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

/** Staff: a dead event is deleted, never to be delivered. */
export async function discardDeadEvent(
  deps: Pick<Deps, 'queue'>,
  input: { actor: Actor; eventId: string },
): Promise<void> {
  assertStaff(input.actor);
  if (!(await deps.queue.discard(input.eventId))) throw notFound('dead event');
}
