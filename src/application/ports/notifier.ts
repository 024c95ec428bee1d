import type { TaskCompleted } from '../../domain/task-completed.ts';

/** Delivers one completion event; throws when the receiver did not accept it. */
export interface Notifier {
  notify(event: TaskCompleted): Promise<void>;
}
