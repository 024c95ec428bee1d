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

/**
 * A completion as the write hands it to the outbox: users by id, so that the outbox looks their
 * names up where it stores the event (in the INSERT itself, over PostgreSQL) rather than the
 * write reading them first.
 */
export interface CompletionRecord extends Omit<TaskCompleted, 'assignedTo' | 'completedBy'> {
  assigneeId: number | null;
  completerId: number;
}

export function completionRecord(
  task: Task,
  completerId: number,
  eventId: string,
): CompletionRecord {
  return {
    type: 'task.completed',
    eventId,
    taskId: task.id,
    taskTitle: task.title,
    assigneeId: task.assignedTo,
    completedAt: task.completedAt ?? task.updatedAt,
    completerId,
  };
}

/** The event, once the users' names are known; null for a user who no longer exists. */
export function taskCompleted(
  record: CompletionRecord,
  names: { assignee: string | null; completer: string | null },
): TaskCompleted {
  const { assigneeId, completerId, ...event } = record;
  return {
    ...event,
    assignedTo: names.assignee ?? UNASSIGNED,
    completedBy: names.completer ?? completerFallback(completerId),
  };
}

/** What an event says of a completer whose account has gone. */
export const completerFallback = (id: number) => `user ${id}`;
