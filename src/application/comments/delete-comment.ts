import type { Deps } from '../deps.ts';
import { type CommentWrite, lockCommentForWrite, staleComment } from './comment-writes.ts';

/** Its author, an owner of the task's project, or staff. */
export async function deleteComment(deps: Pick<Deps, 'uow'>, input: CommentWrite): Promise<void> {
  await deps.uow.run(async (tx) => {
    const { comment } = await lockCommentForWrite(tx, input, (found) =>
      found.assertDeletableBy(input.actor),
    );
    if (!(await tx.comments.remove(comment.id, comment.version))) throw staleComment();
  });
}
