import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';
import type { RecordedEntry } from '../ports/history.ts';
import { getTask } from './get-task.ts';

/** The history of a task the actor sees, newest first. */
export async function listTaskHistory(
  deps: Pick<Deps, 'tasks' | 'history'>,
  input: { actor: Actor; taskId: number; beforeId?: number; limit: number },
): Promise<Page<RecordedEntry, number>> {
  await getTask(deps, { actor: input.actor, id: input.taskId });
  const rows = await deps.history.list(input.taskId, {
    beforeId: input.beforeId,
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit, (row) => row.entry.id);
}
