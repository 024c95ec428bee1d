import { ForeignKeyConstraintViolationException, type QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommentRepository } from '../../../application/ports/comments.ts';
import { Comment, type CommentProps } from '../../../domain/comment.ts';
import { accountGone, notFound } from '../../../domain/errors.ts';
import { type EntityRow, integer, table, text, timestamp } from './columns.ts';
import { historyInsert } from './history.ts';

const commentTable = table<CommentProps>('task_comments', {
  id: integer(),
  taskId: integer(),
  authorId: integer(),
  body: text(),
  createdAt: timestamp(),
  updatedAt: timestamp(),
  version: integer(),
});

type CommentRow = EntityRow & { author_username: string };

const SELECT = `select ${commentTable.entity()},
  (select username from users where users.id = task_comments.author_id) as author_username
  from task_comments`;

export function mikroOrmComments(em: () => EntityManager): CommentRepository {
  const read = async (where: string, params: unknown[]) => {
    const rows = await em().execute<CommentRow[]>(`${SELECT} where ${where}`, params);
    return rows.map((row) => {
      const comment = new Comment(commentTable.fromRow(row));
      return { comment, author: { id: comment.authorId, username: row.author_username } };
    });
  };
  const changed = async (sql: string, params: unknown[]) =>
    (await em().execute<QueryResult>(sql, params, 'run')).affectedRows === 1;

  return {
    byId: async (taskId, id) => (await read('id = ? and task_id = ?', [id, taskId]))[0] ?? null,
    async add(draft, history) {
      const insert = commentTable.insert(draft, 'id, task_id');
      const entry = historyInsert('comment', history);
      try {
        const [row] = await em().execute<{ id: number; username: string }[]>(
          `with comment as (${insert.sql}), entry as (${entry.sql})
           select comment.id, users.username from comment join users on users.id = ?`,
          [...insert.params, ...entry.params, draft.authorId],
        );
        const { id, username } = row as { id: number; username: string };
        return { comment: new Comment({ ...draft, id }), author: { id: draft.authorId, username } };
      } catch (error) {
        if (!(error instanceof ForeignKeyConstraintViolationException)) throw error;
        if ((error as { constraint?: string }).constraint === 'task_comments_task_id_fkey')
          throw notFound('Task');
        throw accountGone();
      }
    },
    update(comment, expectedVersion) {
      const { sql, params } = commentTable.update(comment, {
        sql: 'id = ? and version = ?',
        params: [comment.id, expectedVersion],
      });
      return changed(sql, params);
    },
    remove: (id, expectedVersion) =>
      changed('delete from task_comments where id = ? and version = ?', [id, expectedVersion]),
    list: (taskId, { afterId = 0, limit }) =>
      read('task_id = ? and id > ? order by id limit ?', [taskId, afterId, limit]),
  };
}
