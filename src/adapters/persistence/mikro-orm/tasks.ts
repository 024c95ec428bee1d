import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TaskRepository } from '../../../application/ports/tasks.ts';
import { accountGone, fieldError } from '../../../domain/errors.ts';
import { unknownProject } from '../../../domain/project.ts';
import type { ProjectRole } from '../../../domain/rights.ts';
import { Task, type TaskDraft, unknownAssignee } from '../../../domain/task.ts';
import type { EntityRow, Sql } from './columns.ts';
import { historyInsert } from './history.ts';
import { hasNulCharacter } from './nul-characters.ts';
import { eventInsert, reminderWithdrawal } from './outbox.ts';
import { taskListSql } from './task-list-sql.ts';
import { taskTable } from './task-table.ts';

/** How long a search over every task may run; the list port's `search_too_costly`. */
export const SEARCH_TIMEOUT_MS = 50;
const QUERY_CANCELED = '57014';
const FOREIGN_KEY_VIOLATION = '23503';

const searchTooCostly = () =>
  fieldError(
    'search',
    'This search would take too long over every task: add words, or filter by status, assignee or creator.',
  );

/** The part of the driver's (`pg`) pool that a named statement needs. */
interface StatementPool {
  query<R>(statement: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

// MikroORM sends each query as text with its values written in, so PostgreSQL parses and plans
// it every time. Statements outside a transaction, the reads every GET makes and the single
// statements of a POST and a PATCH, go to the driver as named statements instead, parsed and
// planned once per connection: that halves what PostgreSQL spends on a task by id, and spares
// the service MikroORM's formatting of the values. Searches stay one-off, as the best plan for ILIKE depends on the pattern. One
// name per SQL text; this module's texts have `?` only as placeholders.
const statements = new Map<string, { name: string; text: string }>();
function statementOf(sql: string): { name: string; text: string } {
  let statement = statements.get(sql);
  if (!statement) {
    let placeholder = 0;
    statement = {
      name: `tasks_${statements.size}`,
      text: sql.replace(/\?/g, () => `$${++placeholder}`),
    };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Tasks over PostgreSQL, in plain SQL from the task table's column map: MikroORM's hydration
 * cost about twice the query itself on a task by id and on a page of 50 (0.36 vs 0.17 ms, 0.62
 * vs 0.24 ms). `em` gives the EntityManager for each call: the transaction's inside a unit of
 * work, a fresh fork outside one, so each call there commits on its own. `pool`, given outside a
 * unit of work only, takes the named statements straight to the driver: a fork (a new
 * EntityManager, and MikroORM's configuration written twice into `process.env`) cost a few µs
 * of every call that never used it. `eventsAdded` is told of each completion event inserted: at
 * once outside a unit of work, where the statement has committed, by the unit of work's commit
 * inside one.
 */
export function mikroOrmTasks(
  em: () => EntityManager,
  eventsAdded: () => void,
  pool?: () => Promise<StatementPool>,
): TaskRepository {
  const tasksOf = (rows: EntityRow[]) => rows.map((row) => new Task(taskTable.fromRow(row)));
  const rowsOf = async <R>(sql: string, params: unknown[], prepared = true) =>
    pool && prepared
      ? (await (await pool()).query<R>({ ...statementOf(sql), values: params })).rows
      : em().execute<R[]>(sql, params);
  const read = async (sql: string, params: unknown[], prepared = true) =>
    tasksOf(await rowsOf<EntityRow>(sql, params, prepared));
  // A search over every task may find its matches anywhere in the table, and the planner's guess
  // between walking the ordering's index and reading the trigram index can cost the whole table
  // (`abc` by title: 150 ms at a million tasks). It gets SEARCH_TIMEOUT_MS, then a 400 that says
  // why, rather than a connection of the pool for as long as it takes.
  const boundedSearch = (sql: string, params: unknown[]) =>
    em()
      .transactional(async (tx) => {
        await tx.execute(`set local statement_timeout = ${SEARCH_TIMEOUT_MS}`);
        return tasksOf(await tx.execute<EntityRow[]>(sql, params));
      })
      .catch((error: unknown) => {
        if ((error as { code?: unknown }).code === QUERY_CANCELED) throw searchTooCostly();
        throw error;
      });
  const byId = async (id: number, lock: string) =>
    (await read(`select ${taskTable.entity()} from tasks where id = ?${lock}`, [id]))[0] ?? null;
  const withRoleSql = `select ${taskTable.entity()}, (select role from memberships
      where memberships.project_id = tasks.project_id and user_id = ?) as viewer_role
    from tasks where id = ?`;
  const changed = async ({ sql, params }: Sql) =>
    (await em().execute<QueryResult>(sql, params, 'run')).affectedRows === 1;
  // The foreign keys refuse a creator, assignee, actor or project deleted since the request read
  // them.
  const withUsers = async <T>(task: TaskDraft, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      // The driver's own error on a named statement, MikroORM's copy of it otherwise.
      const { code, constraint } = error as { code?: unknown; constraint?: string };
      if (code !== FOREIGN_KEY_VIOLATION) throw error;
      if (constraint === 'tasks_created_by_fkey' || constraint === 'task_history_actor_id_fkey')
        throw accountGone();
      if (constraint === 'tasks_assigned_to_fkey' && task.assignedTo !== null)
        throw unknownAssignee(task.assignedTo);
      if (constraint === 'tasks_project_id_fkey' && task.projectId !== null)
        throw unknownProject(task.projectId);
      throw error;
    }
  };

  return {
    byId: (id) => byId(id, ''),
    async byIdWithRole(id, userId) {
      const [row] = await rowsOf<EntityRow & { viewer_role: ProjectRole | null }>(withRoleSql, [
        userId,
        id,
      ]);
      return row ? { task: new Task(taskTable.fromRow(row)), role: row.viewer_role } : null;
    },
    // Outside a transaction there is nothing to hold the lock for: a plain read.
    byIdForUpdate: (id) => byId(id, pool ? '' : ' for update'),
    async count() {
      const [row] = await em().execute<{ count: number }[]>(
        'select count(*)::integer as count from tasks',
      );
      return row?.count ?? 0;
    },
    async add(draft, history) {
      const insert = taskTable.insert(draft, 'id as task_id');
      const entry = historyInsert('task', history);
      const [row] = await withUsers(draft, () =>
        rowsOf<{ task_id: number }>(
          `with task as (${insert.sql}), entry as (${entry.sql}) select task_id from task`,
          [...insert.params, ...entry.params],
        ),
      );
      return new Task({ ...draft, id: (row as { task_id: number }).task_id });
    },
    // One statement: the history entry and the event read the UPDATE's row, so a stale version
    // updates nothing and records nothing, and all of it commits together even outside a
    // transaction.
    update(task, expectedVersion, history, completion, withdrawReminder = false) {
      const update = taskTable.update(
        task,
        { sql: 'id = ? and version = ?', params: [task.id, expectedVersion] },
        'id as task_id',
      );
      const entry = historyInsert('task', history);
      const insert = completion && eventInsert(completion, 'task');
      const withdrawal = withdrawReminder ? reminderWithdrawal(task.id, 'task') : undefined;
      const sql = `with task as (${update.sql}), entry as (${entry.sql})${
        insert ? `, added as (${insert.sql})` : ''
      }${withdrawal ? `, ${withdrawal.sql}` : ''} select (select count(*) from task)::integer as changed`;
      const params = [
        ...update.params,
        ...entry.params,
        ...(insert?.params ?? []),
        ...(withdrawal?.params ?? []),
      ];
      return withUsers(task, async () => {
        const [row] = await rowsOf<{ changed: number }>(sql, params);
        const stored = row?.changed === 1;
        if (stored && insert) eventsAdded();
        return stored;
      });
    },
    remove: (id, expectedVersion) =>
      changed({
        sql: 'delete from tasks where id = ? and version = ?',
        params: [id, expectedVersion],
      }),
    async list(query) {
      if (query.search && hasNulCharacter(query.search)) return [];
      const { sql, params } = taskListSql(query);
      if (query.search && query.viewer.isStaff) return boundedSearch(sql, params);
      return read(sql, params, !query.search);
    },
  };
}
