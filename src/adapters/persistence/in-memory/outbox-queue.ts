import type {
  OutboxEntry,
  OutboxKey,
  OutboxQueue,
} from '../../../application/ports/outbox-queue.ts';
import type { InMemoryDatabase } from './database.ts';

const copy = (entry: OutboxEntry): OutboxEntry => ({ ...entry, event: { ...entry.event } });

/**
 * The outbox queue over the in-memory database. Every operation waits its turn behind open
 * transactions, as PostgreSQL readers see only committed rows: a claim must never pick up an
 * event whose transaction could still roll back.
 */
export function inMemoryOutboxQueue(db: InMemoryDatabase): OutboxQueue {
  /** Records an outcome of a send; a reminder withdrawn meanwhile (cancelled) keeps that. */
  const change = (eventIds: readonly string[], edit: Partial<OutboxEntry>) =>
    db.serialize(async () => {
      for (const eventId of eventIds) {
        const entry = db.outbox.get(eventId);
        if (entry && entry.state !== 'cancelled') db.outbox.set(eventId, { ...entry, ...edit });
      }
    });
  const pending = () => [...db.outbox.values()].filter((entry) => entry.state === 'pending');
  const deadEvent = (eventId: string) => {
    const entry = db.outbox.get(eventId);
    return entry?.state === 'dead' ? entry : null;
  };
  const keyOf = (entry: OutboxEntry): OutboxKey => ({
    createdAt: entry.createdAt.toISOString(),
    eventId: entry.event.eventId,
  });
  const byKey = (a: OutboxKey, b: OutboxKey) =>
    a.createdAt.localeCompare(b.createdAt) ||
    (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

  return {
    claim: (now, limit, leaseUntil) =>
      db.serialize(async () =>
        pending()
          .filter((entry) => entry.nextAttemptAt <= now)
          // Stable, so events due at the same instant keep the order they were added in.
          .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
          .slice(0, limit)
          .map((entry) => {
            const claimed = { ...entry, attempts: entry.attempts + 1, nextAttemptAt: leaseUntil };
            db.outbox.set(entry.event.eventId, claimed);
            return copy(claimed);
          }),
      ),
    markDelivered: (eventIds, at) => change(eventIds, { state: 'delivered', deliveredAt: at }),
    retryLater: (eventId, at, error) =>
      change([eventId], { state: 'pending', nextAttemptAt: at, lastError: error }),
    markDead: (eventId, error) => change([eventId], { state: 'dead', lastError: error }),
    stats: (now) =>
      db.serialize(async () => {
        const waiting = pending().filter((entry) => entry.createdAt <= now);
        let oldestPendingAt: Date | null = null;
        for (const { createdAt } of waiting)
          if (!oldestPendingAt || createdAt < oldestPendingAt) oldestPendingAt = createdAt;
        const dead = [...db.outbox.values()].filter((entry) => entry.state === 'dead').length;
        const scheduled = pending().length - waiting.length;
        return { pending: waiting.length, scheduled, dead, oldestPendingAt };
      }),
    purgeDelivered: (before, limit) =>
      db.serialize(async () => {
        const delivered = [...db.outbox.values()]
          .filter((entry) => entry.state === 'delivered' && (entry.deliveredAt ?? before) < before)
          .slice(0, limit);
        for (const entry of delivered) db.outbox.delete(entry.event.eventId);
        return delivered.length;
      }),
    list: ({ state, after, limit }) =>
      db.serialize(async () =>
        [...db.outbox.values()]
          .filter((entry) => entry.state === state && (!after || byKey(keyOf(entry), after) > 0))
          .sort((a, b) => byKey(keyOf(a), keyOf(b)))
          .slice(0, limit)
          .map(copy),
      ),
    async revive(eventId, at) {
      const revived = await db.serialize(async () => {
        const entry = deadEvent(eventId);
        if (entry)
          db.outbox.set(eventId, { ...entry, state: 'pending', attempts: 0, nextAttemptAt: at });
        return entry !== null;
      });
      if (revived) for (const listener of db.outboxListeners) listener();
      return revived;
    },
    discard: (eventId) =>
      db.serialize(async () => deadEvent(eventId) !== null && db.outbox.delete(eventId)),
    onAdded(listener) {
      // A wrapper, so one listener subscribed twice is two subscriptions.
      const subscription = () => listener();
      db.outboxListeners.add(subscription);
      return () => db.outboxListeners.delete(subscription);
    },
  };
}
