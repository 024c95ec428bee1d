import type { EventRecord } from '../../domain/task-event.ts';

/** Events wait here, written in the transaction of the change, for the dispatcher. */
export interface Outbox {
  /**
   * Stores the event (a completion with the assignee's and the completer's usernames as they are
   * now). A reminder for a task and `dueAt` that already has one is not added again:
   * only one that was withdrawn after its delivery started comes back, saying what this one
   * says, with a fresh count of attempts.
   */
  add(event: EventRecord): Promise<void>;
  /**
   * Takes back the task's reminder that has not gone out: deleted when it was never attempted,
   * else cancelled, so that an attempt under way records nothing and no retry follows. A dead
   * one is cancelled too: a staff retry would send a due date, title or assignee that no longer
   * holds, or remind of a task done or deleted.
   */
  withdrawReminder(taskId: number): Promise<void>;
}
