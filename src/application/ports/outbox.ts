import type { CompletionRecord } from '../../domain/task-completed.ts';

/** Completion events wait here, written in the transaction of the change, for the dispatcher. */
export interface Outbox {
  /** Stores the event, with the assignee's and the completer's usernames as they are now. */
  add(completion: CompletionRecord): Promise<void>;
}
