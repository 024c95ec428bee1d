import type { Outbox } from '../../../application/ports/outbox.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

export function inMemoryOutbox(db: InMemoryDatabase, undo: UndoLog | null = null): Outbox {
  return {
    async add(event) {
      const entry = {
        event,
        state: 'pending' as const,
        attempts: 0,
        nextAttemptAt: event.completedAt,
        lastError: null,
        createdAt: event.completedAt,
        deliveredAt: null,
      };
      db.put(db.outbox, event.eventId, entry, undo);
    },
  };
}
