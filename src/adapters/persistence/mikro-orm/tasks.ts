import type { EntityManager } from '@mikro-orm/postgresql';
import type { TaskRepository } from '../../../application/ports/repositories.ts';
import { Task } from '../../../domain/task.ts';
import { TaskEntity } from './entities.ts';
import { hasNulCharacter } from './nul-characters.ts';
import { TASK_COLUMNS, type TaskRow, taskFromRow, taskListSql } from './task-rows.ts';

/** The part of the driver's (`pg`) pool that a named statement needs. */
interface StatementPool {
  query(statement: { name: string; text: string; values: unknown[] }): Promise<{ rows: TaskRow[] }>;
}

// MikroORM sends each query as text with its values written in, so PostgreSQL parses and plans
// it every time. Reads outside a transaction, the ones every GET makes, go to the driver as named
// statements instead, parsed and planned once per connection: that halves what PostgreSQL spends
// on a task by id. Searches stay one-off, as the best plan for ILIKE depends on the pattern. One
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
 * Tasks over PostgreSQL. `em` gives the EntityManager for each call: the transaction's inside a
 * unit of work, a fresh fork outside one, so each call there commits on its own.
 */
export function mikroOrmTasks(em: () => EntityManager): TaskRepository {
  const read = async (sql: string, params: unknown[], prepared = true) => {
    const manager = em();
    const platform = manager.getPlatform();
    const rows =
      manager.isInTransaction() || !prepared
        ? await manager.execute<TaskRow[]>(sql, params)
        : await ((await manager.getConnection().getNativeClient()) as StatementPool)
            .query({ ...statementOf(sql), values: params })
            .then((result) => result.rows);
    return rows.map((row) => taskFromRow(row, (text) => platform.parseDate(text)));
  };
  const byId = async (id: number, lock: string) =>
    (await read(`select ${TASK_COLUMNS} from tasks where id = ?${lock}`, [id]))[0] ?? null;

  return {
    byId: (id) => byId(id, ''),
    // Outside a transaction there is nothing to hold the lock for: a plain read.
    byIdForUpdate: (id) => byId(id, em().isInTransaction() ? ' for update' : ''),
    async add(draft) {
      const id = await em().insert(TaskEntity, { ...draft });
      return new Task({ ...draft, id });
    },
    async update(task, expectedVersion) {
      const updated = await em().nativeUpdate(
        TaskEntity,
        { id: task.id, version: expectedVersion },
        {
          title: task.title,
          description: task.description,
          status: task.status,
          assignedTo: task.assignedTo,
          updatedAt: task.updatedAt,
          completedAt: task.completedAt,
          version: task.version,
        },
      );
      return updated === 1;
    },
    async remove(id, expectedVersion) {
      return (await em().nativeDelete(TaskEntity, { id, version: expectedVersion })) === 1;
    },
    async list(query) {
      if (query.search && hasNulCharacter(query.search)) return [];
      const { sql, params } = taskListSql(query);
      return read(sql, params, !query.search);
    },
  };
}
