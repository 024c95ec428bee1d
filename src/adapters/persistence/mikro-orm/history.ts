import type { EntityManager } from '@mikro-orm/postgresql';
import type { HistoryRepository } from '../../../application/ports/history.ts';
import type { FieldChanges, HistoryAction, HistoryRecord } from '../../../domain/history.ts';
import type { Sql } from './columns.ts';

/**
 * The INSERT of a history entry for the task that `source` names: a CTE of the same statement
 * (the task's own INSERT or UPDATE, or a comment's INSERT) whose rows have the task's id as
 * `task_id`. Riding in the write's statement, the entry costs no round trip of its own, and is
 * stored exactly when the write is.
 */
export function historyInsert(source: string, entry: HistoryRecord): Sql {
  return {
    sql: `insert into task_history (task_id, actor_id, at, action, changes)
      select task_id, ?::integer, ?::timestamptz, ?::text, cast(? as jsonb) from ${source}`,
    params: [entry.actorId, entry.at, entry.action, JSON.stringify(entry.changes)],
  };
}

interface HistoryRow {
  id: number;
  task_id: number;
  actor_id: number;
  at: string;
  action: HistoryAction;
  changes: FieldChanges | string;
  actor_username: string;
}

export function mikroOrmHistory(em: () => EntityManager): HistoryRepository {
  return {
    async list(taskId, { beforeId, limit }) {
      const manager = em();
      const rows = await manager.execute<HistoryRow[]>(
        `select h.id, h.task_id, h.actor_id, h.at, h.action, h.changes, u.username as actor_username
           from task_history h join users u on u.id = h.actor_id
          where h.task_id = ?${beforeId === undefined ? '' : ' and h.id < ?'}
          order by h.id desc limit ?`,
        beforeId === undefined ? [taskId, limit] : [taskId, beforeId, limit],
      );
      return rows.map((row) => ({
        entry: {
          id: row.id,
          taskId: row.task_id,
          actorId: row.actor_id,
          at: manager.getPlatform().parseDate(row.at),
          action: row.action,
          changes: typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes,
        },
        actor: { id: row.actor_id, username: row.actor_username },
      }));
    },
  };
}
