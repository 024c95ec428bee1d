import type { Notifier } from '../../application/ports/notifier.ts';
import type { Config } from '../../config.ts';
import { inProcessNotifier } from './in-process-notifier.ts';
import { createLambdaClient, lambdaNotifier } from './lambda-notifier.ts';

/** Where notifications go, for the start-up log line. */
export function notificationTarget(config: Pick<Config, 'lambda'>): string {
  const { functionName } = config.lambda;
  return functionName ? `AWS Lambda function ${functionName}` : 'the notifier function in process';
}

/** The Lambda function when one is configured; otherwise its code, run in this process. */
export function chooseNotifier(config: Pick<Config, 'lambda'>): Notifier {
  const { functionName, region } = config.lambda;
  if (!functionName) return inProcessNotifier();
  return lambdaNotifier({ functionName, client: createLambdaClient(region ? { region } : {}) });
}
