import type { Comment, CommentDraft } from '../../domain/comment.ts';
import type { HistoryRecord } from '../../domain/history.ts';

/** A user as a comment or a history entry shows them. */
export interface UserRef {
  id: number;
  username: string;
}

export interface AuthoredComment {
  comment: Comment;
  author: UserRef;
}

/**
 * The comments of tasks. `add` refuses an author who no longer exists (the domain's
 * `accountGone`), as the database's foreign key does; deleting a task deletes its comments.
 */
export interface CommentRepository {
  /** Comment `id` of task `taskId`; null when that task has no such comment. */
  byId(taskId: number, id: number): Promise<AuthoredComment | null>;
  /** Stores the comment and, with it, the task's history entry that records it. */
  add(draft: CommentDraft, history: HistoryRecord): Promise<AuthoredComment>;
  /** Stores the comment if its stored version is still `expectedVersion`; false otherwise. */
  update(comment: Comment, expectedVersion: number): Promise<boolean>;
  /** Deletes the comment if its stored version is still `expectedVersion`; false otherwise. */
  remove(id: number, expectedVersion: number): Promise<boolean>;
  /** One page of the task's comments, oldest first: at most `limit` after id `afterId`. */
  list(taskId: number, page: { afterId?: number; limit: number }): Promise<AuthoredComment[]>;
}
