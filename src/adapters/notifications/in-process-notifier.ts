import { notification } from '../../../lambda/handler.ts';
import type { Notifier } from '../../application/ports/notifier.ts';
import type { Logger } from '../logger.ts';
import { taskEventPayload } from './payload.ts';

/**
 * Runs the Lambda function's code in this process: the default when no function is configured.
 * The line the function would print goes to the service's log instead, as one more JSON line.
 */
export function inProcessNotifier(log: Logger): Notifier {
  return {
    async notify(event) {
      const { line } = notification(taskEventPayload(event));
      log.info({ eventId: event.eventId, taskId: event.taskId }, line);
    },
  };
}
