import type { TaskEvent } from '../../domain/task-event.ts';

/** Delivers one event; throws when the receiver did not accept it. */
export interface Notifier {
  notify(event: TaskEvent): Promise<void>;
}
