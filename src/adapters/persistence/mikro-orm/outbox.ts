import type { EntityManager } from '@mikro-orm/postgresql';
import type { Outbox } from '../../../application/ports/outbox.ts';
import type { TaskDue } from '../../../domain/reminders.ts';
import {
  type CompletionRecord,
  completerFallback,
  UNASSIGNED,
} from '../../../domain/task-completed.ts';
import type { Sql } from './columns.ts';

/** The channel on which processes tell each other of commits that added events. */
export const OUTBOX_CHANNEL = 'task_outbox';

/**
 * The INSERT of a completion's event (its values cast: a named statement's parameters in a
 * select list would otherwise be text), the usernames read by the statement itself rather than
 * by the write beforehand. With `gate`, the name of a CTE, one row is inserted only if the CTE
 * has one: a version-checked UPDATE that matched nothing records no event.
 */
export function eventInsert(completion: CompletionRecord, gate?: string): Sql {
  const { eventId, taskId, taskTitle, assigneeId, completerId, completedAt } = completion;
  return {
    sql: `insert into task_outbox (event_id, type, task_id, task_title, assigned_to, completed_by,
                                   completed_at, state, attempts, next_attempt_at, created_at)
          select ?::uuid, 'task.completed', ?::integer, ?::text,
                 coalesce((select username from users where id = ?), ?::text),
                 coalesce((select username from users where id = ?), ?::text),
                 ?::timestamptz, 'pending', 0, ?::timestamptz, ?::timestamptz${gate ? ` from ${gate}` : ''}
          returning event_id`,
    params: [
      eventId,
      taskId,
      taskTitle,
      assigneeId,
      UNASSIGNED,
      completerId,
      completerFallback(completerId),
      completedAt,
      completedAt,
      completedAt,
    ],
  };
}

/**
 * A reminder for a task and due date that has one already is not added again (the unique
 * index's promise); one that was cancelled comes back, saying what the new one says, with a fresh
 * count of attempts: one cancelled after it went dead would otherwise be given up at once.
 */
function reminderInsert(reminder: TaskDue): Sql {
  const { eventId, taskId, taskTitle, assignedTo, dueAt, sendAt } = reminder;
  return {
    sql: `insert into task_outbox
            (event_id, type, task_id, task_title, assigned_to, due_at, next_attempt_at, created_at)
          values (?, 'task.due', ?, ?, ?, ?, ?, ?)
          on conflict (task_id, due_at) where type = 'task.due' do update
          set task_title = excluded.task_title, assigned_to = excluded.assigned_to,
              state = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
              created_at = excluded.created_at
          where task_outbox.state = 'cancelled'
          returning event_id`,
    params: [eventId, taskId, taskTitle, assignedTo, dueAt, sendAt, sendAt],
  };
}

/**
 * The withdrawal of the task's unsent reminder, as two CTEs (`withdrawn`, `cancelled`) that touch
 * different rows: one never attempted is deleted, one attempted is cancelled, and so is a dead
 * one, so that a staff retry cannot send what no longer holds. With `gate`, the
 * name of a CTE, only if the CTE has a row: a version-checked UPDATE that matched nothing
 * withdraws nothing.
 */
export function reminderWithdrawal(taskId: number, gate?: string): Sql {
  const only = gate ? ` and exists (select from ${gate})` : '';
  return {
    sql: `withdrawn as (
            delete from task_outbox
            where task_id = ? and type = 'task.due' and state = 'pending' and attempts = 0${only}),
          cancelled as (
            update task_outbox set state = 'cancelled'
            where task_id = ? and type = 'task.due'
              and (state = 'pending' and attempts > 0 or state = 'dead')${only})`,
    params: [taskId, taskId],
  };
}

/** `eventsAdded` is told of each event inserted, for after the commit. */
export function mikroOrmOutbox(em: () => EntityManager, eventsAdded: () => void): Outbox {
  return {
    // One round trip: the names ride on the INSERT.
    async add(record) {
      const insert = record.type === 'task.due' ? reminderInsert(record) : eventInsert(record);
      const added = await em().execute<unknown[]>(insert.sql, insert.params);
      if (added.length > 0) eventsAdded();
    },
    async withdrawReminder(taskId) {
      const withdrawal = reminderWithdrawal(taskId);
      await em().execute(`with ${withdrawal.sql} select 1`, withdrawal.params);
    },
  };
}
