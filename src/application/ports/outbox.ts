import type { TaskCompleted } from '../../domain/task-completed.ts';

/** Completion events wait here, written in the transaction of the change, for the dispatcher. */
export interface Outbox {
  add(event: TaskCompleted): Promise<void>;
}
