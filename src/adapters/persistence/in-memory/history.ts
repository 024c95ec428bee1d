import type { HistoryRepository } from '../../../application/ports/history.ts';
import { userRef } from './comments.ts';
import type { InMemoryDatabase } from './database.ts';

export function inMemoryHistory(db: InMemoryDatabase): HistoryRepository {
  return {
    async list(taskId, { beforeId = Number.POSITIVE_INFINITY, limit }) {
      return [...db.history.values()]
        .filter((row) => row.taskId === taskId && row.id < beforeId)
        .sort((a, b) => b.id - a.id)
        .slice(0, limit)
        .map((entry) => ({ entry: { ...entry }, actor: userRef(db, entry.actorId) }));
    },
  };
}
