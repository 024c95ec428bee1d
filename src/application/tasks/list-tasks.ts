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

export async function listTasks(
  deps: Pick<Deps, 'tasks'>,
  query: TaskQuery,
): Promise<Page<Task, TaskKey>> {
  const rows = await deps.tasks.list({ ...query, limit: query.limit + 1 });
  return toPage(rows, query.limit, (task) => taskKey(task, query.ordering.field));
}
