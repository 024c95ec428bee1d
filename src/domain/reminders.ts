import type { TaskProps } from './task.ts';
import { UNASSIGNED } from './task-completed.ts';

/**
 * A reminder that a task falls due, recorded in the transaction of the change that made it due
 * and held back until `sendAt`. At most one exists per task and `dueAt`.
 */
export interface TaskDue {
  type: 'task.due';
  eventId: string;
  taskId: number;
  taskTitle: string;
  /** The assignee's username. */
  assignedTo: string;
  dueAt: Date;
  /** When it goes out: the lead before `dueAt`, or when it was recorded if that is later. */
  sendAt: Date;
}

/**
 * When the task's reminder goes out, or null when it gets none: only a pending task with an
 * assignee and a due date still ahead is reminded, `leadMs` before it, and at once when that
 * moment has already passed.
 */
export function reminderTime(
  task: Pick<TaskProps, 'status' | 'assignedTo' | 'dueAt'>,
  leadMs: number,
  now: Date,
): Date | null {
  if (task.status !== 'pending' || task.assignedTo === null || task.dueAt === null) return null;
  if (task.dueAt <= now) return null;
  return new Date(Math.max(task.dueAt.getTime() - leadMs, now.getTime()));
}

/** The fields whose change can make a reminder due, withdraw it, or change what it says. */
export const REMINDED_FIELDS = ['title', 'status', 'assignedTo', 'dueAt'] as const;

export function taskDue(
  task: Pick<TaskProps, 'id' | 'title'> & { dueAt: Date },
  assignee: string | null,
  sendAt: Date,
  eventId: string,
): TaskDue {
  return {
    type: 'task.due',
    eventId,
    taskId: task.id,
    taskTitle: task.title,
    assignedTo: assignee ?? UNASSIGNED,
    dueAt: task.dueAt,
    sendAt,
  };
}
