import {
  InvokeCommand,
  LambdaClient,
  type LambdaClientConfig,
  LambdaServiceException,
} from '@aws-sdk/client-lambda';
import type { Notifier } from '../../application/ports/notifier.ts';
import { taskEventPayload } from './payload.ts';

export const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_ERROR_LENGTH = 200;

export interface LambdaClientOptions extends LambdaClientConfig {
  /** Bounds connecting and the whole request, so a hung endpoint cannot stall the dispatcher. */
  timeoutMs?: number;
}

/**
 * A LambdaClient fit for the dispatcher. Region, credentials and AWS_ENDPOINT_URL_LAMBDA come
 * from the SDK's usual sources unless given here.
 */
export function createLambdaClient(options: LambdaClientOptions = {}): LambdaClient {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, ...config } = options;
  return new LambdaClient({
    // The dispatcher retries with its own backoff and counts each attempt; SDK retries would
    // multiply the timeout and hide attempts from it.
    maxAttempts: 1,
    // Plain handler options, so the SDK builds its own NodeHttpHandler. Without
    // throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
    requestHandler: {
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
    },
    ...config,
  });
}

/** Delivers each event as an asynchronous (`Event`) invocation of the notifier function. */
export function lambdaNotifier(options: { functionName: string; client?: LambdaClient }): Notifier {
  const { functionName, client = createLambdaClient() } = options;
  return {
    async notify(event) {
      const command = new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: JSON.stringify(taskEventPayload(event)),
      });
      const response = await client.send(command).catch((error: unknown) => {
        throw new Error(`Lambda invoke failed: ${describe(error)}`, { cause: error });
      });
      if (response.FunctionError !== undefined) {
        throw new Error(`Lambda function error: ${clip(response.FunctionError)}`);
      }
      // Lambda accepts an Event invocation with 202. AWS's Runtime Interface Emulator (the
      // docker compose notifier) runs every invocation synchronously and answers 200.
      if (response.StatusCode !== 202 && response.StatusCode !== 200) {
        throw new Error(`Lambda invoke returned status ${response.StatusCode ?? 'none'}`);
      }
    },
  };
}

// The message ends up stored as the outbox's last error. AWS error messages can quote ARNs,
// account ids and role names, so only their name and status are kept; local errors (network,
// timeout, missing region or credentials) carry no such data and their text is what helps.
function describe(error: unknown): string {
  if (error instanceof LambdaServiceException) {
    const status = error.$metadata.httpStatusCode;
    return clip(status === undefined ? error.name : `${error.name} (HTTP ${status})`);
  }
  if (error instanceof Error) {
    return clip(error.name === 'Error' ? error.message : `${error.name}: ${error.message}`);
  }
  return 'unknown error';
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_ERROR_LENGTH ? `${oneLine.slice(0, MAX_ERROR_LENGTH - 1)}…` : oneLine;
}
