import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';
import type { AuthoredComment } from '../ports/comments.ts';
import { getTask } from '../tasks/get-task.ts';

/** The comments of a task the actor sees, oldest first. */
export async function listComments(
  deps: Pick<Deps, 'tasks' | 'comments'>,
  input: { actor: Actor; taskId: number; afterId?: number; limit: number },
): Promise<Page<AuthoredComment, number>> {
  await getTask(deps, { actor: input.actor, id: input.taskId });
  const rows = await deps.comments.list(input.taskId, {
    afterId: input.afterId,
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit, (row) => row.comment.id);
}
