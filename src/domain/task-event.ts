import type { TaskDue } from './reminders.ts';
import type { TaskCompleted } from './task-completed.ts';

/** What the outbox holds and the notifier delivers. */
export type TaskEvent = TaskCompleted | TaskDue;

/** When the event was meant to go out: what its delivery latency counts from. */
export function sendTime(event: TaskEvent): Date {
  return event.type === 'task.due' ? event.sendAt : event.completedAt;
}
