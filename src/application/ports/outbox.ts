import type { TaskEvent } from '../../domain/task-event.ts';

/** Events wait here, written in the transaction of the change, for the dispatcher. */
export interface Outbox {
  /**
   * Adds the event. A reminder for a task and `dueAt` that already has one is not added again:
   * only one that was withdrawn while its delivery was under way comes back, saying what this
   * one says.
   */
  add(event: TaskEvent): Promise<void>;
  /**
   * Takes back the task's reminder that has not gone out: deleted when it was never attempted,
   * else cancelled, so that an attempt under way records nothing and no retry follows.
   */
  withdrawReminder(taskId: number): Promise<void>;
}
