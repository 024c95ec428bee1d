import type { TaskDue } from './reminders.ts';
import type { CompletionRecord, TaskCompleted } from './task-completed.ts';

/** What the outbox holds and the notifier delivers. */
export type TaskEvent = TaskCompleted | TaskDue;

/** What a write hands the outbox: a completion names its users by id, the outbox adds names. */
export type EventRecord = CompletionRecord | TaskDue;

/** When the event was meant to go out: what its delivery latency counts from. */
export function sendTime(event: TaskEvent): Date {
  return event.type === 'task.due' ? event.sendAt : event.completedAt;
}
