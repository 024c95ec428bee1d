import type { Task } from './task.ts';

export const UNASSIGNED = 'Unassigned';

/** Recorded in the same transaction as the change that completed the task; delivered later. */
export interface TaskCompleted {
  type: 'task.completed';
  eventId: string;
  taskId: number;
  taskTitle: string;
  /** The assignee's username, or "Unassigned". */
  assignedTo: string;
  completedAt: Date;
  /** The username of whoever completed it. */
  completedBy: string;
}

export function taskCompleted(
  task: Task,
  names: { assignee: string | null; completer: string },
  eventId: string,
): TaskCompleted {
  return {
    type: 'task.completed',
    eventId,
    taskId: task.id,
    taskTitle: task.title,
    assignedTo: names.assignee ?? UNASSIGNED,
    completedAt: task.completedAt ?? task.updatedAt,
    completedBy: names.completer,
  };
}
