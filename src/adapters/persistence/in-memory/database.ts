import type { OutboxEntry } from '../../../application/ports/outbox-queue.ts';
import type { RefreshTokenRecord } from '../../../application/ports/refresh-tokens.ts';
import type { StaffSessionRecord } from '../../../application/ports/staff-sessions.ts';
import type { ApiTokenProps } from '../../../domain/api-token.ts';
import type { CommentProps } from '../../../domain/comment.ts';
import type { HistoryEntry, HistoryRecord } from '../../../domain/history.ts';
import type { MembershipProps, ProjectProps } from '../../../domain/project.ts';
import type { TaskProps } from '../../../domain/task.ts';
import type { UserProps } from '../../../domain/user.ts';

/** Reverts one write; a transaction keeps them so that it can roll back. */
export type UndoLog = (() => void)[];

/** The whole in-memory state. Rows are stored as copies so callers never share them. */
export class InMemoryDatabase {
  readonly users = new Map<number, UserProps>();
  readonly tasks = new Map<number, TaskProps>();
  readonly projects = new Map<number, ProjectProps>();
  /** Keyed by `membershipKey`. */
  readonly memberships = new Map<string, MembershipProps>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly outbox = new Map<string, OutboxEntry>();
  readonly apiTokens = new Map<number, ApiTokenProps>();
  readonly comments = new Map<number, CommentProps>();
  readonly history = new Map<number, HistoryEntry>();
  readonly staffSessions = new Map<string, StaffSessionRecord>();
  /** Called after each transaction that added outbox events commits. */
  readonly outboxListeners = new Set<() => void>();
  nextUserId = 1;
  nextTaskId = 1;
  nextApiTokenId = 1;
  nextProjectId = 1;
  nextCommentId = 1;
  nextHistoryId = 1;
  #queue: Promise<unknown> = Promise.resolve();

  /** Tells the outbox's listeners that a commit added events. */
  announceOutbox(): void {
    for (const listener of this.outboxListeners) listener();
  }

  /** Runs transactions one at a time, which is what row locks give PostgreSQL's writers. */
  serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Sets `key` in `map`, recording how to put the previous value back. */
  put<K, V>(map: Map<K, V>, key: K, value: V, undo: UndoLog | null): void {
    const had = map.has(key);
    const previous = map.get(key);
    map.set(key, value);
    undo?.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
  }

  /** Records the history entry of a write to task `taskId`. */
  record(taskId: number, entry: HistoryRecord, undo: UndoLog | null): void {
    const id = this.nextHistoryId++;
    this.put(this.history, id, { ...entry, id, taskId }, undo);
  }

  remove<K, V>(map: Map<K, V>, key: K, undo: UndoLog | null): void {
    if (!map.has(key)) return;
    const previous = map.get(key) as V;
    map.delete(key);
    undo?.push(() => map.set(key, previous));
  }
}

export const membershipKey = (projectId: number, userId: number) => `${projectId}:${userId}`;
