import type { OutboxEntry } from '../../src/application/ports/outbox-queue.ts';
import type { TaskDue } from '../../src/domain/reminders.ts';
import type { TaskCompleted } from '../../src/domain/task-completed.ts';

/** The completion events among outbox entries, in the entries' order. */
export const completionsOf = (entries: OutboxEntry[]): TaskCompleted[] =>
  entries.flatMap(({ event }) => (event.type === 'task.completed' ? [event] : []));

export type ReminderEntry = OutboxEntry & { event: TaskDue };

/** The reminders among outbox entries with their delivery records, by task and due date. */
export const remindersOf = (entries: OutboxEntry[]): ReminderEntry[] =>
  (entries.filter(({ event }) => event.type === 'task.due') as ReminderEntry[]).sort(
    (a, b) => a.event.taskId - b.event.taskId || a.event.dueAt.getTime() - b.event.dueAt.getTime(),
  );
