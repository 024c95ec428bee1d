import type { HistoryEntry } from '../../domain/history.ts';
import type { UserRef } from './comments.ts';

export interface RecordedEntry {
  entry: HistoryEntry;
  actor: UserRef;
}

/**
 * The history of tasks, read side. Entries are written with the write they record, in the same
 * statement: `TaskRepository.add` and `update`, `CommentRepository.add`.
 */
export interface HistoryRepository {
  /** One page of the task's history, newest first: at most `limit` older than id `beforeId`. */
  list(taskId: number, page: { beforeId?: number; limit: number }): Promise<RecordedEntry[]>;
}
