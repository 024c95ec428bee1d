import { fieldError } from '../../domain/errors.ts';
import type { Task } from '../../domain/task.ts';
import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';
import type { TaskKey, TaskOrderField, TaskQuery } from '../ports/tasks.ts';

export function taskKey(task: Task, field: TaskOrderField): TaskKey {
  switch (field) {
    case 'id':
      return { value: task.id, id: task.id };
    case 'title':
      return { value: task.title, id: task.id };
    case 'created_at':
      return { value: task.createdAt.toISOString(), id: task.id };
    case 'updated_at':
      return { value: task.updatedAt.toISOString(), id: task.id };
  }
}

/**
 * A search over every task (staff's) must name a run of letters or digits at least this long:
 * shorter text (`zz`, a backslash, `____`) no trigram index can look up, so its cost would be the
 * whole table's. Anyone else searches only their own tasks, which costs what those cost.
 */
export const STAFF_SEARCH_RUN = 3;
const SEARCHABLE = new RegExp(`[\\p{L}\\p{N}]{${STAFF_SEARCH_RUN}}`, 'u');

export async function listTasks(
  deps: Pick<Deps, 'tasks'>,
  query: TaskQuery,
): Promise<Page<Task, TaskKey>> {
  if (query.search && query.viewer.isStaff && !SEARCHABLE.test(query.search))
    throw fieldError(
      'search',
      `Searching every task needs at least ${STAFF_SEARCH_RUN} letters or digits in a row.`,
    );
  const rows = await deps.tasks.list({ ...query, limit: query.limit + 1 });
  return toPage(rows, query.limit, (task) => taskKey(task, query.ordering.field));
}
