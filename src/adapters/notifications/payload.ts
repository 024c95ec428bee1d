import type { TaskCompleted } from '../../domain/task-completed.ts';

/** The JSON the notifier function receives; the field names are part of its contract. */
export interface TaskCompletedPayload {
  task_title: string;
  assigned_to: string;
  task_id: number;
  event_id: string;
  completed_at: string;
  completed_by: string;
}

export function taskCompletedPayload(event: TaskCompleted): TaskCompletedPayload {
  return {
    task_title: event.taskTitle,
    assigned_to: event.assignedTo,
    task_id: event.taskId,
    event_id: event.eventId,
    // toISOString is always UTC with a Z suffix.
    completed_at: event.completedAt.toISOString(),
    completed_by: event.completedBy,
  };
}
