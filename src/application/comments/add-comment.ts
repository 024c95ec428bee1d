import { draftComment } from '../../domain/comment.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { AuthoredComment } from '../ports/comments.ts';
import { lockTaskForWrite } from '../tasks/task-writes.ts';

/** Anyone who may comment on the task (whoever sees it); the task's version stays as it is. */
export async function addComment(
  deps: Pick<Deps, 'uow' | 'clock'>,
  input: { actor: Actor; taskId: number; body: string },
): Promise<AuthoredComment> {
  const { draft, history } = draftComment(input.body, input.taskId, input.actor, deps.clock.now());
  return deps.uow.run(async (tx) => {
    await lockTaskForWrite(tx, { actor: input.actor, id: input.taskId }, (task) =>
      task.assertCommentableBy(input.actor),
    );
    return tx.comments.add(draft, history);
  });
}
