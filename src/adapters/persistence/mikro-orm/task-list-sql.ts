import type { TaskOrderField, TaskQuery } from '../../../application/ports/tasks.ts';
import { priorityRank } from '../../../domain/priority.ts';
import { arrayLiteral, type Sql } from './columns.ts';
import { likePattern } from './like-pattern.ts';
import { taskTable } from './task-table.ts';

// Each matches an index that ends in `id`, so every ordering is a range scan from the cursor.
// Titles sort by code point, as the in-memory adapter does, whatever the server's locale.
const ORDER_EXPRESSIONS: Record<TaskOrderField, string> = {
  id: 'id',
  created_at: 'created_at',
  updated_at: 'updated_at',
  title: 'title collate "C"',
  due_at: 'due_at',
  priority: 'priority',
};

const KEY_CASTS: Record<TaskOrderField, string> = {
  id: '',
  created_at: '::timestamptz',
  updated_at: '::timestamptz',
  title: '',
  due_at: '::timestamptz',
  priority: '::smallint',
};

/**
 * One keyset page of tasks as SQL with `?` placeholders: the filters, `(key, id)` after the
 * cursor, the ordering and the limit.
 *
 * Staff page through the whole table along the ordering's index. Anyone else sees what they
 * created or are assigned and the tasks of their projects (`taskRights`' `sees`): one page from
 * each side, each along its own index, and on the projects' side one page per project along
 * `(project_id, key, id)`, the projects read from `memberships` in the same statement. The sides
 * hand on ids and keys only; the best page of their union is picked, and only its rows are read
 * whole (a union of whole rows hashed every column of three pages and built the JSON of all
 * three: 1.67 ms of PostgreSQL's time for a member of 20 projects, 1.16 ms this way). A page
 * then costs what a page of each side costs, never what the table does nor how deep it is,
 * where a single `created_by = ? or assigned_to = ? or project_id in (…)` lets the planner walk
 * the primary key past everyone else's. With no project the projects' side reads one empty range
 * of the memberships' index and nothing else.
 */
export function taskListSql(query: TaskQuery): Sql {
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
  if (query.project === null) where('project_id is null');
  else if (query.project !== undefined) where('project_id = ?', query.project);
  if (query.dueBefore) where('due_at < ?', query.dueBefore);
  // An undated task is due at 'infinity', which is after every bound.
  if (query.dueAfter) where("due_at > ? and due_at < 'infinity'", query.dueAfter);
  if (query.priority !== undefined) where('priority = ?', priorityRank(query.priority));
  if (query.labelKeys?.length) where('label_keys @> ?::text[]', arrayLiteral(query.labelKeys));
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
  const order = `order by ${field === 'id' ? `id ${direction}` : `${key} ${direction}, id ${direction}`}`;
  const orderBy = `${order} limit ?`;

  const page = (visibility: Sql | null, select: string): Sql => {
    const all = visibility ? [visibility.sql, ...conditions] : conditions;
    return {
      sql: `select ${select} from tasks${all.length > 0 ? ` where ${all.join(' and ')}` : ''} ${orderBy}`,
      params: [...(visibility?.params ?? []), ...params, query.limit],
    };
  };
  if (query.viewer.isStaff) return page(null, taskTable.entity());
  const read = field === 'id' ? 'id' : `id, ${field}`;
  const sides = [
    page({ sql: 'created_by = ?', params: [query.viewer.id] }, read),
    page({ sql: 'assigned_to = ?', params: [query.viewer.id] }, read),
  ];
  if (query.project !== null) {
    // Each project's page reads from the index alone (it includes the filtered columns).
    const one = query.project === undefined ? '' : ' and project_id = ?';
    const inProject = [`project_id = mine.project_id`, ...conditions].join(' and ');
    sides.push({
      sql: `select projected.* from (select project_id from memberships where user_id = ?${one}) mine
        cross join lateral (select ${read} from tasks where ${inProject} ${orderBy}) projected
        ${orderBy}`,
      params: [
        query.viewer.id,
        ...(query.project === undefined ? [] : [query.project]),
        ...params,
        query.limit,
        query.limit,
      ],
    });
  }
  return {
    sql: `select ${taskTable.entity()} from tasks where id in (select id from (${sides
      .map((side) => `(${side.sql})`)
      .join(' union ')}) visible ${orderBy}) ${order}`,
    params: [...sides.flatMap((side) => side.params), query.limit],
  };
}
