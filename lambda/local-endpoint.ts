// A development stand-in for the AWS Lambda Invoke API, so the API's Lambda notifier, the AWS
// SDK and the aws CLI can be pointed at it with an endpoint URL. One function is served under
// any name; qualifiers, log tails and client context are ignored.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { handler as notifierHandler } from './handler.ts';

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

/** The Lambda service failing an invocation, as opposed to the function failing. */
export interface ServiceFault {
  status: 429 | 500 | 502 | 503;
  /** The AWS error name the SDK raises: `ServiceException`, `TooManyRequestsException`, … */
  type: string;
  message?: string;
}

export interface LocalLambdaOptions {
  /** 0 picks a spare port. */
  port?: number;
  hostname?: string;
  handler?: LambdaHandler;
  /**
   * Asked before each invocation; a fault answers it as the service would fail it, and the
   * handler does not run. `Event` invocations are accepted before the function runs, so a
   * caller never sees the function's own errors: this is how its failures are simulated.
   */
  fault?: (invocation: { functionName: string; type: string }) => ServiceFault | undefined;
}

export interface LocalLambda {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 9001;
const VERSION = '$LATEST';
const INVOCATION_TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);

type Env = { Bindings: HttpBindings };

function localLambdaApp(handler: LambdaHandler, fault: LocalLambdaOptions['fault']): Hono<Env> {
  const app = new Hono<Env>();

  app.post('/2015-03-31/functions/:name/invocations', async (c) => {
    const requestId = randomUUID();
    c.header('X-Amzn-RequestId', requestId);
    const type = c.req.header('X-Amz-Invocation-Type') ?? 'RequestResponse';
    if (!INVOCATION_TYPES.has(type)) {
      return awsError(c, 400, 'InvalidParameterValueException', `Invalid invocation type: ${type}`);
    }
    const failure = fault?.({ functionName: c.req.param('name'), type });
    if (failure) {
      const { status, type: name, message = 'Simulated service failure' } = failure;
      return awsError(c, status, name, message, 'Service');
    }
    const event = parseEvent(await c.req.text());
    if (event instanceof Error) {
      return awsError(c, 400, 'InvalidRequestContentException', event.message);
    }
    const context = {
      awsRequestId: requestId,
      functionName: c.req.param('name'),
      functionVersion: VERSION,
    };

    if (type === 'DryRun') return c.body(null, 204);
    if (type === 'Event') {
      // Real Lambda queues the event and answers at once; the caller never sees the outcome.
      c.env.outgoing.once('close', () => {
        runAsync(handler, event, context);
      });
      return c.body(null, 202, { 'Content-Length': '0' });
    }

    c.header('X-Amz-Executed-Version', VERSION);
    c.header('Content-Type', 'application/json');
    try {
      const result = await handler(event, context);
      return c.body(JSON.stringify(result) ?? 'null', 200);
    } catch (error) {
      // A function error is still a successful Invoke: 200, flagged by a header.
      c.header('X-Amz-Function-Error', 'Unhandled');
      return c.body(JSON.stringify(errorPayload(error)), 200);
    }
  });

  app.notFound((c) =>
    awsError(c, 404, 'UnknownOperationException', `Not supported: ${c.req.method} ${c.req.path}`),
  );

  return app;
}

export function startLocalLambda(options: LocalLambdaOptions = {}): Promise<LocalLambda> {
  const { port = DEFAULT_PORT, hostname = '127.0.0.1', handler = notifierHandler } = options;
  const app = localLambdaApp(handler, options.fault);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({
        url: `http://${hostname}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // A hung invocation would otherwise keep close() waiting for its connection.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}

// Lambda invokes with {} when the request has no payload.
function parseEvent(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (error) {
    return new Error(`Could not parse request body into json: ${(error as Error).message}`);
  }
}

function runAsync(handler: LambdaHandler, event: unknown, context: LambdaContext): void {
  Promise.resolve()
    .then(() => handler(event, context))
    .catch((error: unknown) => {
      console.error(`Event invocation ${context.awsRequestId} failed:`, error);
    });
}

function errorPayload(error: unknown) {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: error.stack?.split('\n') ?? [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

// Shaped like AWS's REST-JSON errors so the SDK raises the named exception.
function awsError(
  c: Context,
  status: ContentfulStatusCode,
  type: string,
  message: string,
  origin: 'User' | 'Service' = 'User',
) {
  c.header('X-Amzn-ErrorType', type);
  return c.json({ Type: origin, message }, status);
}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`LAMBDA_LOCAL_PORT must be a port number, got ${JSON.stringify(value)}`);
  }
  return port;
}

if (import.meta.main) {
  const lambda = await startLocalLambda({ port: portFromEnv(process.env.LAMBDA_LOCAL_PORT) });
  console.log(
    `Local Lambda listening on ${lambda.url} (POST /2015-03-31/functions/{name}/invocations)`,
  );
}
