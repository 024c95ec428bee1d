import type { Outbox } from '../../../application/ports/outbox.ts';
import type { OutboxEntry } from '../../../application/ports/outbox-queue.ts';
import type { TaskDue } from '../../../domain/reminders.ts';
import { taskCompleted } from '../../../domain/task-completed.ts';
import { sendTime } from '../../../domain/task-event.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

const isReminderOf = (
  taskId: number,
  entry: OutboxEntry,
): entry is OutboxEntry & { event: TaskDue } =>
  entry.event.type === 'task.due' && entry.event.taskId === taskId;

export function inMemoryOutbox(db: InMemoryDatabase, undo: UndoLog | null = null): Outbox {
  const username = (id: number | null) =>
    id === null ? null : (db.users.get(id)?.username ?? null);
  return {
    async add(record) {
      const event =
        record.type === 'task.due'
          ? record
          : taskCompleted(record, {
              assignee: username(record.assigneeId),
              completer: username(record.completerId),
            });
      const at = sendTime(event);
      const entry: OutboxEntry = {
        event,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        lastError: null,
        createdAt: at,
        deliveredAt: null,
      };
      if (event.type === 'task.due') {
        // PostgreSQL's unique index on (task_id, due_at) of reminders, and its ON CONFLICT.
        const same = [...db.outbox.values()].find(
          (other) =>
            isReminderOf(event.taskId, other) &&
            other.event.dueAt.getTime() === event.dueAt.getTime(),
        );
        if (same?.state === 'cancelled')
          db.put(
            db.outbox,
            same.event.eventId,
            {
              ...same,
              event: { ...event, eventId: same.event.eventId },
              state: 'pending',
              attempts: 0,
              nextAttemptAt: at,
              createdAt: at,
            },
            undo,
          );
        if (same) return;
      }
      db.put(db.outbox, event.eventId, entry, undo);
    },
    async withdrawReminder(taskId) {
      for (const entry of [...db.outbox.values()])
        if (isReminderOf(taskId, entry) && (entry.state === 'pending' || entry.state === 'dead')) {
          if (entry.state === 'pending' && entry.attempts === 0)
            db.remove(db.outbox, entry.event.eventId, undo);
          else db.put(db.outbox, entry.event.eventId, { ...entry, state: 'cancelled' }, undo);
        }
    },
  };
}
