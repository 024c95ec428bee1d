import { type Comment, commentNotFound } from '../../domain/comment.ts';
import { preconditionFailed } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import type { AuthoredComment } from '../ports/comments.ts';
import type { Repositories } from '../ports/repositories.ts';
import { type ExpectedVersions, lockTaskForWrite } from '../tasks/task-writes.ts';

export interface CommentWrite {
  actor: Actor;
  taskId: number;
  id: number;
  /** The comment's versions an `If-Match` accepts; the task's version plays no part. */
  ifMatch?: ExpectedVersions;
}

/**
 * The opening of every write to a comment: its task locked once the actor may see it, then the
 * comment, once `allowed` (the write's own right) holds and `If-Match` names its version.
 */
export async function lockCommentForWrite(
  tx: Repositories,
  write: CommentWrite,
  allowed: (comment: Comment) => void,
): Promise<AuthoredComment> {
  await lockTaskForWrite(tx, { actor: write.actor, id: write.taskId });
  const found = await tx.comments.byId(write.taskId, write.id);
  if (!found) throw commentNotFound();
  allowed(found.comment);
  if (write.ifMatch && !write.ifMatch.includes(found.comment.version))
    throw preconditionFailed('The comment has changed since the version given in If-Match.');
  return found;
}

export const staleComment = () =>
  preconditionFailed('The comment was changed by another request; fetch it again and retry.');
