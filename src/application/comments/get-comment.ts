import { commentNotFound } from '../../domain/comment.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { AuthoredComment } from '../ports/comments.ts';
import { getTask } from '../tasks/get-task.ts';

/** One comment of a task the actor sees. */
export async function getComment(
  deps: Pick<Deps, 'tasks' | 'comments'>,
  input: { actor: Actor; taskId: number; id: number },
): Promise<AuthoredComment> {
  await getTask(deps, { actor: input.actor, id: input.taskId });
  const found = await deps.comments.byId(input.taskId, input.id);
  if (!found) throw commentNotFound();
  return found;
}
