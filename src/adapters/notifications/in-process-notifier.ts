import { handler as notifierHandler } from '../../../lambda/handler.ts';
import type { Notifier } from '../../application/ports/notifier.ts';
import { taskCompletedPayload } from './payload.ts';

type Handler = (event: unknown) => Promise<{ statusCode: number }>;

/** Runs the Lambda function's code in this process: the default when no function is configured. */
export function inProcessNotifier(options: { handler?: Handler } = {}): Notifier {
  const { handler = notifierHandler } = options;
  return {
    async notify(event) {
      const result = await handler(taskCompletedPayload(event));
      if (result.statusCode !== 200) {
        throw new Error(`Notification handler returned status ${result.statusCode}`);
      }
    },
  };
}
