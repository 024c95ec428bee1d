import type { TaskListQuery, TaskOrderField } from '../../../application/ports/repositories.ts';
import { Task, type TaskStatus } from '../../../domain/task.ts';
import { likePattern } from './like-pattern.ts';

/*
 * Tasks are read with plain SQL mapped by hand: MikroORM's hydration costs about twice the
 * query itself on a task by id and on a page of 50 (0.36 vs 0.17 ms, 0.62 vs 0.24 ms).
 */

export const TASK_COLUMNS =
  'id, title, description, status, assigned_to, created_by, created_at, updated_at, completed_at, version';

/** A row as the driver returns it: MikroORM leaves timestamps as PostgreSQL's text. */
export interface TaskRow {
  id: number;
  title: string;
  description: string;
  status: TaskStatus;
  assigned_to: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: number;
}

export function taskFromRow(row: TaskRow, parseDate: (text: string) => Date): Task {
  return new Task({
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    assignedTo: row.assigned_to,
    createdBy: row.created_by,
    createdAt: parseDate(row.created_at),
    updatedAt: parseDate(row.updated_at),
    completedAt: row.completed_at === null ? null : parseDate(row.completed_at),
    version: row.version,
  });
}

// Each matches an index that ends in `id`, so every ordering is a range scan from the cursor.
// Titles sort by code point, as the in-memory adapter does, whatever the server's locale.
const ORDER_EXPRESSIONS: Record<TaskOrderField, string> = {
  id: 'id',
  created_at: 'created_at',
  updated_at: 'updated_at',
  title: 'title collate "C"',
};

const KEY_CASTS: Record<TaskOrderField, string> = {
  id: '',
  created_at: '::timestamptz',
  updated_at: '::timestamptz',
  title: '',
};

interface Sql {
  sql: string;
  params: unknown[];
}

/**
 * One keyset page of tasks as SQL with `?` placeholders: the filters, `(key, id)` after the
 * cursor, the ordering and the limit.
 *
 * Staff page through the whole table along the ordering's index. Anyone else sees what they
 * created or are assigned: one page from each side, each along its own index, merged. A page
 * then costs at most what the caller's own tasks cost, never what the table does, where a single
 * `created_by = ? or assigned_to = ?` lets the planner walk the primary key past everyone else's.
 */
export function taskListSql(query: TaskListQuery): Sql {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const where = (condition: string, ...values: unknown[]) => {
    conditions.push(condition);
    params.push(...values);
  };
  if (query.status !== undefined) where('status = ?', query.status);
  if (query.assignedTo === null) where('assigned_to is null');
  else if (query.assignedTo !== undefined) where('assigned_to = ?', query.assignedTo);
  if (query.createdBy !== undefined) where('created_by = ?', query.createdBy);
  if (query.search) {
    const pattern = likePattern(query.search);
    where('(title ilike ? or description ilike ?)', pattern, pattern);
  }

  const { field, descending } = query.ordering;
  const direction = descending ? 'desc' : 'asc';
  const after = descending ? '<' : '>';
  const key = ORDER_EXPRESSIONS[field];
  if (query.after && field === 'id') where(`id ${after} ?`, query.after.id);
  else if (query.after)
    where(`(${key}, id) ${after} (?${KEY_CASTS[field]}, ?)`, query.after.value, query.after.id);
  const orderBy = `order by ${field === 'id' ? `id ${direction}` : `${key} ${direction}, id ${direction}`} limit ?`;

  const page = (visibility: Sql | null): Sql => {
    const all = visibility ? [visibility.sql, ...conditions] : conditions;
    return {
      sql: `select ${TASK_COLUMNS} from tasks${all.length > 0 ? ` where ${all.join(' and ')}` : ''} ${orderBy}`,
      params: [...(visibility?.params ?? []), ...params, query.limit],
    };
  };
  if (query.viewer.isStaff) return page(null);
  const created = page({ sql: 'created_by = ?', params: [query.viewer.id] });
  const assigned = page({ sql: 'assigned_to = ?', params: [query.viewer.id] });
  return {
    sql: `select * from ((${created.sql}) union (${assigned.sql})) visible ${orderBy}`,
    params: [...created.params, ...assigned.params, query.limit],
  };
}
