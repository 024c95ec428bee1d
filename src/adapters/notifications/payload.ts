import type { TaskDue } from '../../domain/reminders.ts';
import type { TaskCompleted } from '../../domain/task-completed.ts';
import type { TaskEvent } from '../../domain/task-event.ts';

/** The JSON the notifier function receives; the field names are part of its contract. */
export interface TaskCompletedPayload {
  event: 'task.completed';
  task_title: string;
  assigned_to: string;
  task_id: number;
  event_id: string;
  completed_at: string;
  completed_by: string;
}

export interface TaskDuePayload {
  event: 'task.due';
  task_id: number;
  event_id: string;
  task_title: string;
  assigned_to: string;
  due_at: string;
}

export type TaskEventPayload = TaskCompletedPayload | TaskDuePayload;

// toISOString is always UTC with a Z suffix.
const completedPayload = (event: TaskCompleted): TaskCompletedPayload => ({
  event: event.type,
  task_title: event.taskTitle,
  assigned_to: event.assignedTo,
  task_id: event.taskId,
  event_id: event.eventId,
  completed_at: event.completedAt.toISOString(),
  completed_by: event.completedBy,
});

const duePayload = (event: TaskDue): TaskDuePayload => ({
  event: event.type,
  task_id: event.taskId,
  event_id: event.eventId,
  task_title: event.taskTitle,
  assigned_to: event.assignedTo,
  due_at: event.dueAt.toISOString(),
});

export function taskEventPayload(event: TaskEvent): TaskEventPayload {
  return event.type === 'task.due' ? duePayload(event) : completedPayload(event);
}
