import type { Outbox } from '../../../application/ports/outbox.ts';
import { taskCompleted } from '../../../domain/task-completed.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

export function inMemoryOutbox(db: InMemoryDatabase, undo: UndoLog | null = null): Outbox {
  const username = (id: number | null) =>
    id === null ? null : (db.users.get(id)?.username ?? null);
  return {
    async add(completion) {
      const event = taskCompleted(completion, {
        assignee: username(completion.assigneeId),
        completer: username(completion.completerId),
      });
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
