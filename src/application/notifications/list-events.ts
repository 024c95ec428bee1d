import { type Actor, assertStaff } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';
import type { OutboxEntry, OutboxKey, OutboxState } from '../ports/outbox-queue.ts';

/** Staff: the events waiting to be delivered, or those given up on, oldest first. */
export async function listEvents(
  deps: Pick<Deps, 'queue'>,
  input: { actor: Actor; state: OutboxState; after?: OutboxKey; limit: number },
): Promise<Page<OutboxEntry, OutboxKey>> {
  assertStaff(input.actor);
  const { state, after, limit } = input;
  const rows = await deps.queue.list({ state, after, limit: limit + 1 });
  return toPage(rows, limit, (entry) => ({
    createdAt: entry.createdAt.toISOString(),
    eventId: entry.event.eventId,
  }));
}
