import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  OutboxEntry,
  OutboxQueue,
  OutboxState,
} from '../../../application/ports/outbox-queue.ts';
import type { TaskEvent } from '../../../domain/task-event.ts';
import { guarded } from './failures.ts';
import type { OutboxNotifications } from './outbox-notifications.ts';

interface OutboxRow {
  event_id: string;
  type: TaskEvent['type'];
  task_id: number;
  task_title: string;
  assigned_to: string;
  completed_by: string | null;
  completed_at: string | null;
  due_at: string | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

// The events due longest, each claimed by exactly one caller: a row another claim has locked is
// skipped, not waited for, and the update moves it out of sight until the lease lapses. The
// (state, next_attempt_at) index gives both the due rows and their order, so a claim reads about
// `limit` entries whatever the backlog: ordered by creation, it sorted every due row each time
// (3.6 ms a claim in a backlog of 10,000). A reminder's next_attempt_at starts at its send time,
// so none is claimed early.
const CLAIM = `
  with due as (
    select event_id, next_attempt_at, seq from task_outbox
    where state = 'pending' and next_attempt_at <= ?
    order by next_attempt_at, seq
    limit ?
    for update skip locked
  )
  update task_outbox o set attempts = o.attempts + 1, next_attempt_at = ?
  from due where o.event_id = due.event_id
  returning o.*, due.next_attempt_at as was_due_at`;

// A reminder's created_at is its send time: until then it is scheduled, not a backlog.
const STATS = `
  select count(*) filter (where state = 'pending' and created_at <= ?)::integer as pending,
         count(*) filter (where state = 'pending' and created_at > ?)::integer as scheduled,
         count(*) filter (where state = 'dead')::integer as dead,
         min(created_at) filter (where state = 'pending' and created_at <= ?) as oldest_pending_at
  from task_outbox where state in ('pending', 'dead')`;

// An outcome of a send is not recorded for a reminder withdrawn (cancelled) meanwhile.
const outcome = (set: string) =>
  `update task_outbox set ${set} where event_id = ? and state <> 'cancelled'`;

// Event ids are UUIDs: anything else names no event, and would be a type error to PostgreSQL.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dispatcher's side of the outbox over PostgreSQL; every call is its own transaction. */
export function mikroOrmOutboxQueue(
  em: () => EntityManager,
  notifications: OutboxNotifications,
): OutboxQueue {
  const run = (sql: string, params: unknown[]) => guarded(() => em().execute(sql, params, 'run'));

  return {
    async claim(now, limit, leaseUntil) {
      const manager = em();
      const parse = (text: string) => manager.getPlatform().parseDate(text);
      const rows = await guarded(() =>
        manager.execute<(OutboxRow & { seq: string; was_due_at: string })[]>(CLAIM, [
          now,
          limit,
          leaseUntil,
        ]),
      );
      // RETURNING keeps no order: put the claim's own back, by when each event fell due (the
      // update has replaced that with the lease's end).
      return rows
        .map((row) => ({
          entry: entryFromRow(row, parse),
          dueAt: parse(row.was_due_at).getTime(),
          seq: Number(row.seq),
        }))
        .sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)
        .map(({ entry }) => entry);
    },
    async markDelivered(eventIds, at) {
      if (eventIds.length === 0) return;
      // One array parameter, so the text is the same whatever the batch's size.
      await run(
        `update task_outbox set state = 'delivered', delivered_at = ?
         where event_id = any(?::uuid[]) and state <> 'cancelled'`,
        [at, `{${eventIds.join(',')}}`],
      );
    },
    async retryLater(eventId, at, error) {
      await run(outcome("state = 'pending', next_attempt_at = ?, last_error = ?"), [
        at,
        error,
        eventId,
      ]);
    },
    async markDead(eventId, error) {
      await run(outcome("state = 'dead', last_error = ?"), [error, eventId]);
    },
    async stats(now) {
      const manager = em();
      const [row] = await guarded(() =>
        manager.execute<
          { pending: number; scheduled: number; dead: number; oldest_pending_at: string | null }[]
        >(STATS, [now, now, now]),
      );
      const oldest = row?.oldest_pending_at ?? null;
      return {
        pending: row?.pending ?? 0,
        scheduled: row?.scheduled ?? 0,
        dead: row?.dead ?? 0,
        oldestPendingAt: oldest === null ? null : manager.getPlatform().parseDate(oldest),
      };
    },
    async purgeDelivered(before, limit) {
      const result = await guarded(() =>
        em().execute<QueryResult>(
          `delete from task_outbox where event_id in
             (select event_id from task_outbox
              where state = 'delivered' and delivered_at < ? limit ?)`,
          [before, limit],
          'run',
        ),
      );
      return result.affectedRows;
    },
    async list({ state, after, limit }) {
      const manager = em();
      const rows = await guarded(() =>
        manager.execute<OutboxRow[]>(
          `select * from task_outbox where state = ?
           ${after ? 'and (created_at, event_id) > (?, ?::uuid)' : ''}
           order by created_at, event_id limit ?`,
          after ? [state, after.createdAt, after.eventId, limit] : [state, limit],
        ),
      );
      return rows.map((row) => entryFromRow(row, (text) => manager.getPlatform().parseDate(text)));
    },
    async revive(eventId, at) {
      if (!UUID.test(eventId)) return false;
      const revived = await guarded(() =>
        em().execute<unknown[]>(
          `update task_outbox set state = 'pending', attempts = 0, next_attempt_at = ?
           where event_id = ?::uuid and state = 'dead' returning event_id`,
          [at, eventId],
        ),
      );
      if (revived.length === 0) return false;
      notifications.added();
      return true;
    },
    async discard(eventId) {
      if (!UUID.test(eventId)) return false;
      const result = await guarded(() =>
        em().execute<QueryResult>(
          "delete from task_outbox where event_id = ?::uuid and state = 'dead'",
          [eventId],
          'run',
        ),
      );
      return result.affectedRows === 1;
    },
    onAdded: (listener) => notifications.subscribe(listener),
  };
}

function eventFromRow(row: OutboxRow, parseDate: (text: string) => Date): TaskEvent {
  const common = {
    eventId: row.event_id,
    taskId: row.task_id,
    taskTitle: row.task_title,
    assignedTo: row.assigned_to,
  };
  // The table's check constraint guarantees each type's own columns.
  if (row.type === 'task.due')
    return {
      type: row.type,
      ...common,
      dueAt: parseDate(row.due_at as string),
      sendAt: parseDate(row.created_at),
    };
  return {
    type: row.type,
    ...common,
    completedAt: parseDate(row.completed_at as string),
    completedBy: row.completed_by as string,
  };
}

export function entryFromRow(row: OutboxRow, parseDate: (text: string) => Date): OutboxEntry {
  return {
    event: eventFromRow(row, parseDate),
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: parseDate(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: parseDate(row.created_at),
    deliveredAt: row.delivered_at === null ? null : parseDate(row.delivered_at),
  };
}
