import type { CommentRepository, UserRef } from '../../../application/ports/comments.ts';
import { Comment, type CommentProps } from '../../../domain/comment.ts';
import { accountGone, notFound } from '../../../domain/errors.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

/** The name a row's user goes by; users are never deleted while they have comments or history. */
export function userRef(db: InMemoryDatabase, id: number): UserRef {
  return { id, username: db.users.get(id)?.username ?? '' };
}

export function inMemoryComments(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): CommentRepository {
  const authored = (props: CommentProps) => ({
    comment: new Comment({ ...props }),
    author: userRef(db, props.authorId),
  });
  const versionIs = (id: number, version: number) => db.comments.get(id)?.version === version;
  return {
    async byId(taskId, id) {
      const props = db.comments.get(id);
      return props?.taskId === taskId ? authored(props) : null;
    },
    async add(draft, history) {
      // PostgreSQL's foreign keys.
      if (!db.users.has(draft.authorId) || !db.users.has(history.actorId)) throw accountGone();
      if (!db.tasks.has(draft.taskId)) throw notFound('Task');
      const id = db.nextCommentId++;
      db.put(db.comments, id, { ...draft, id }, undo);
      db.record(draft.taskId, history, undo);
      return authored({ ...draft, id });
    },
    async update(comment, expectedVersion) {
      if (!versionIs(comment.id, expectedVersion)) return false;
      db.put(db.comments, comment.id, { ...comment }, undo);
      return true;
    },
    async remove(id, expectedVersion) {
      if (!versionIs(id, expectedVersion)) return false;
      db.remove(db.comments, id, undo);
      return true;
    },
    async list(taskId, { afterId = 0, limit }) {
      return [...db.comments.values()]
        .filter((row) => row.taskId === taskId && row.id > afterId)
        .sort((a, b) => a.id - b.id)
        .slice(0, limit)
        .map(authored);
    },
  };
}
