import type { EntityManager } from '@mikro-orm/postgresql';
import type { Outbox } from '../../../application/ports/outbox.ts';
import { completerFallback, UNASSIGNED } from '../../../domain/task-completed.ts';

/** The channel a commit that added events notifies; the outbox queue listens on it. */
export const OUTBOX_CHANNEL = 'task_outbox';

// One round trip: the usernames are read by the INSERT itself, and the notification, delivered
// when the transaction commits (and not at all if it rolls back), rides on the same statement.
const ADD = `
  with added as (
    insert into task_outbox (event_id, task_id, task_title, assigned_to, completed_by,
                             completed_at, state, attempts, next_attempt_at, created_at)
    select ?, ?, ?,
           coalesce((select username from users where id = ?), ?),
           coalesce((select username from users where id = ?), ?),
           ?, 'pending', 0, ?, ?
    returning event_id
  )
  select pg_notify(?, '') from added`;

export function mikroOrmOutbox(em: () => EntityManager): Outbox {
  return {
    async add(completion) {
      const { eventId, taskId, taskTitle, assigneeId, completerId, completedAt } = completion;
      await em().execute(ADD, [
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
        OUTBOX_CHANNEL,
      ]);
    },
  };
}
