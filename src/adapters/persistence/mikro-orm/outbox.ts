import type { EntityManager } from '@mikro-orm/postgresql';
import type { Outbox } from '../../../application/ports/outbox.ts';
import type { TaskEvent } from '../../../domain/task-event.ts';
import type { Sql } from './columns.ts';

/** The channel a commit that added events notifies; the outbox queue listens on it. */
export const OUTBOX_CHANNEL = 'task_outbox';

// A reminder for a task and due date that has one already is not added again (the unique
// index's promise); one that was cancelled mid-delivery comes back, saying what the new one says.
const ADD_REMINDER = `
  insert into task_outbox
    (event_id, type, task_id, task_title, assigned_to, due_at, next_attempt_at, created_at)
  values (?, 'task.due', ?, ?, ?, ?, ?, ?)
  on conflict (task_id, due_at) where type = 'task.due' do update
  set task_title = excluded.task_title, assigned_to = excluded.assigned_to, state = 'pending',
      next_attempt_at = excluded.next_attempt_at, created_at = excluded.created_at
  where task_outbox.state = 'cancelled'`;

const ADD_COMPLETION = `
  insert into task_outbox (event_id, type, task_id, task_title, assigned_to, completed_by,
    completed_at, next_attempt_at, created_at)
  values (?, 'task.completed', ?, ?, ?, ?, ?, ?, ?)`;

function insert(event: TaskEvent): Sql {
  const { eventId, taskId, taskTitle, assignedTo } = event;
  if (event.type === 'task.due')
    return {
      sql: ADD_REMINDER,
      params: [eventId, taskId, taskTitle, assignedTo, event.dueAt, event.sendAt, event.sendAt],
    };
  const { completedBy, completedAt } = event;
  return {
    sql: ADD_COMPLETION,
    params: [
      eventId,
      taskId,
      taskTitle,
      assignedTo,
      completedBy,
      completedAt,
      completedAt,
      completedAt,
    ],
  };
}

/** Written in plain SQL, as the outbox queue reads it. */
export function mikroOrmOutbox(em: () => EntityManager): Outbox {
  return {
    async add(event) {
      const { sql, params } = insert(event);
      await em().execute(sql, params, 'run');
      // Delivered when the transaction commits, and not at all if it rolls back.
      await em().execute('select pg_notify(?, ?)', [OUTBOX_CHANNEL, '']);
    },
    async withdrawReminder(taskId) {
      // One round trip: the two statements touch different rows (never attempted, or attempted).
      await em().execute(
        `with withdrawn as (
           delete from task_outbox
           where task_id = ? and type = 'task.due' and state = 'pending' and attempts = 0)
         update task_outbox set state = 'cancelled'
         where task_id = ? and type = 'task.due' and state = 'pending' and attempts > 0`,
        [taskId, taskId],
        'run',
      );
    },
  };
}
