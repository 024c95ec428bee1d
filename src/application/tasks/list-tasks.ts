import { fieldError } from '../../domain/errors.ts';
import { LABELS_MAX, labelError, labelKey } from '../../domain/labels.ts';
import { priorityRank } from '../../domain/priority.ts';
import { dueAtErrors, type Task } from '../../domain/task.ts';
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
    // 'infinity' sorts after every ISO 8601 instant of years 0001–9999, as it does in SQL.
    case 'due_at':
      return { value: task.dueAt?.toISOString() ?? 'infinity', id: task.id };
    case 'priority':
      return { value: priorityRank(task.priority), id: task.id };
  }
}

/** What a list asks for: the repository's query, labels by name, and `overdue`. */
export type ListTasksInput = Omit<TaskQuery, 'labelKeys'> & {
  labels?: string[];
  /** Pending and due before now. */
  overdue?: boolean;
};

function labelKeys(labels: string[]): string[] {
  const names = labels.map((label) => label.trim());
  const error = names.map(labelError).find((message) => message !== null);
  if (error) throw fieldError('label', error);
  const keys = [...new Set(names.map(labelKey))];
  if (keys.length > LABELS_MAX)
    throw fieldError('label', `A task has at most ${LABELS_MAX} labels: ask for fewer.`);
  return keys;
}

/**
 * A search over every task (staff's) must name a run of letters or digits at least this long:
 * shorter text (`zz`, a backslash, `____`) no trigram index can look up, so its cost would be the
 * whole table's. Anyone else searches only their own tasks, which costs what those cost.
 */
export const STAFF_SEARCH_RUN = 3;
const SEARCHABLE = new RegExp(`[\\p{L}\\p{N}]{${STAFF_SEARCH_RUN}}`, 'u');

export async function listTasks(
  deps: Pick<Deps, 'tasks' | 'clock'>,
  input: ListTasksInput,
): Promise<Page<Task, TaskKey>> {
  const { labels, overdue, ...rest } = input;
  // No task is due outside these years, and PostgreSQL cannot be asked about the year 0000.
  for (const [field, bound] of [
    ['due_before', rest.dueBefore],
    ['due_after', rest.dueAfter],
  ] as const) {
    const [error] = dueAtErrors(bound ?? null);
    if (error) throw fieldError(field, error);
  }
  const query: TaskQuery = { ...rest, labelKeys: labels?.length ? labelKeys(labels) : undefined };
  if (overdue) {
    // A completed task is never overdue.
    if (query.status === 'completed') return { items: [], next: null };
    const now = deps.clock.now();
    query.status = 'pending';
    if (!query.dueBefore || query.dueBefore > now) query.dueBefore = now;
  }
  if (query.search && query.viewer.isStaff && !SEARCHABLE.test(query.search))
    throw fieldError(
      'search',
      `Searching every task needs at least ${STAFF_SEARCH_RUN} letters or digits in a row.`,
    );
  const rows = await deps.tasks.list({ ...query, limit: query.limit + 1 });
  return toPage(rows, query.limit, (task) => taskKey(task, query.ordering.field));
}
