import type { Notifier } from '../../src/application/ports/notifier.ts';
import type { TaskEvent } from '../../src/domain/task-event.ts';

export interface RecordingNotifier extends Notifier {
  /** Events accepted, in order. */
  readonly delivered: TaskEvent[];
  /** Calls made, failed ones included. */
  readonly attempts: number;
  /** Makes the next `count` calls reject with `message`. */
  failNext(count: number, message?: string): void;
}

/** A test double that records deliveries and can be told to fail. */
export function recordingNotifier(): RecordingNotifier {
  const delivered: TaskEvent[] = [];
  let attempts = 0;
  let failures = 0;
  let failure = 'Notifier failure';
  return {
    delivered,
    get attempts() {
      return attempts;
    },
    failNext(count, message = 'Notifier failure') {
      failures = count;
      failure = message;
    },
    async notify(event) {
      attempts += 1;
      if (failures > 0) {
        failures -= 1;
        throw new Error(failure);
      }
      delivered.push(event);
    },
  };
}
