import type { Deps } from '../deps.ts';
import type { AuthoredComment } from '../ports/comments.ts';
import { type CommentWrite, lockCommentForWrite, staleComment } from './comment-writes.ts';

/** The author only; a body equal to the current one is no change. */
export async function editComment(
  deps: Pick<Deps, 'uow' | 'clock'>,
  input: CommentWrite & { body: string },
): Promise<AuthoredComment> {
  return deps.uow.run(async (tx) => {
    const found = await lockCommentForWrite(tx, input, (comment) =>
      comment.assertEditableBy(input.actor),
    );
    const { comment } = found;
    const readVersion = comment.version;
    if (!comment.edit(input.body, input.actor, deps.clock.now())) return found;
    if (!(await tx.comments.update(comment, readVersion))) throw staleComment();
    return found;
  });
}
