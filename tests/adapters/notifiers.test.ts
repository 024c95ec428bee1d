import { createServer, type Socket } from 'node:net';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type LambdaHandler,
  type LocalLambda,
  startLocalLambda,
} from '../../lambda/local-endpoint.ts';
import { inProcessNotifier } from '../../src/adapters/notifications/in-process-notifier.ts';
import {
  createLambdaClient,
  lambdaNotifier,
} from '../../src/adapters/notifications/lambda-notifier.ts';
import { taskEventPayload } from '../../src/adapters/notifications/payload.ts';
import type { TaskCompleted } from '../../src/domain/task-completed.ts';
import { recordingNotifier } from '../doubles/recording-notifier.ts';

const event: TaskCompleted = {
  type: 'task.completed',
  eventId: '5f1d7c2e-8a4b-4c3d-9e6f-0a1b2c3d4e5f',
  taskId: 42,
  taskTitle: 'Café menu',
  assignedTo: 'Unassigned',
  completedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)),
  completedBy: 'alice',
};

const expectedPayload = {
  event: 'task.completed',
  task_title: 'Café menu',
  assigned_to: 'Unassigned',
  task_id: 42,
  event_id: '5f1d7c2e-8a4b-4c3d-9e6f-0a1b2c3d4e5f',
  completed_at: '2025-01-02T03:04:05.006Z',
  completed_by: 'alice',
};

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  vi.restoreAllMocks();
});

async function localLambda(handler: LambdaHandler): Promise<LocalLambda> {
  const lambda = await startLocalLambda({ port: 0, handler });
  cleanups.push(() => lambda.close());
  return lambda;
}

function client(url: string, timeoutMs?: number) {
  return createLambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local-secret' },
    timeoutMs,
  });
}

// An endpoint that answers every request the way the test says, to reach the error branches.
async function stubEndpoint(respond: () => Response): Promise<{ url: string; requests: number }> {
  const stub = { url: '', requests: 0 };
  const { promise, resolve } = Promise.withResolvers<void>();
  const server = serve(
    {
      fetch: () => {
        stub.requests += 1;
        return respond();
      },
      port: 0,
      hostname: '127.0.0.1',
    },
    (info) => {
      stub.url = `http://127.0.0.1:${info.port}`;
      resolve();
    },
  );
  cleanups.push(() => new Promise((done) => server.close(() => done())));
  await promise;
  return stub;
}

describe('taskCompletedPayload', () => {
  it('maps the event to the contract snake_case fields, in order, with a UTC timestamp', () => {
    const payload = taskEventPayload(event);

    expect(payload).toEqual(expectedPayload);
    expect(Object.keys(payload)).toEqual(Object.keys(expectedPayload));
  });
});

describe('lambdaNotifier', () => {
  it('invokes the function asynchronously with the contract payload', async () => {
    const { promise: received, resolve } = Promise.withResolvers<unknown>();
    const lambda = await localLambda((payload) => resolve(payload));
    const notifier = lambdaNotifier({ functionName: 'task-completed', client: client(lambda.url) });

    await expect(notifier.notify(event)).resolves.toBeUndefined();

    const payload = await received;
    expect(payload).toEqual(expectedPayload);
    expect(Object.keys(payload as object)).toEqual(Object.keys(expectedPayload));
  });

  it('resolves when the function fails, because an Event invocation is accepted first', async () => {
    const { promise: logged, resolve } = Promise.withResolvers<void>();
    vi.spyOn(console, 'error').mockImplementation(() => resolve());
    const lambda = await localLambda(() => {
      throw new Error('boom');
    });
    const notifier = lambdaNotifier({ functionName: 'task-completed', client: client(lambda.url) });

    await expect(notifier.notify(event)).resolves.toBeUndefined();
    await logged;
  });

  it('the endpoint reports the same failure on a RequestResponse invocation', async () => {
    const lambda = await localLambda(() => {
      throw new Error('boom');
    });

    const response = await client(lambda.url).send(
      new InvokeCommand({
        FunctionName: 'task-completed',
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(taskEventPayload(event))),
      }),
    );

    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(response.Payload))).toMatchObject({
      errorType: 'Error',
      errorMessage: 'boom',
    });
  });

  it('rejects quickly with a short message when the endpoint is down', async () => {
    const lambda = await startLocalLambda({ port: 0, handler: () => null });
    await lambda.close();
    const notifier = lambdaNotifier({ functionName: 'task-completed', client: client(lambda.url) });

    const started = Date.now();
    const error = await notifier.notify(event).catch((caught: unknown) => caught);

    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message).toMatch(/^Lambda invoke failed: .*ECONNREFUSED/);
    expect(message.length).toBeLessThanOrEqual(200);
    expect(message).not.toContain('local-secret');
  });

  it('rejects within the timeout when the endpoint never answers', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as { port: number };
    const notifier = lambdaNotifier({
      functionName: 'task-completed',
      client: client(`http://127.0.0.1:${port}`, 300),
    });

    const started = Date.now();
    const error = await notifier.notify(event).catch((caught: unknown) => caught);

    expect(Date.now() - started).toBeLessThan(2000);
    expect((error as Error).message).toMatch(/^Lambda invoke failed: TimeoutError/);
    expect(sockets).toHaveLength(1);
  });

  it('keeps only the name and status of an AWS error, and does not retry', async () => {
    const stub = await stubEndpoint(() =>
      Response.json(
        { message: 'Rate exceeded for arn:aws:lambda:us-east-1:123456789012:function:x' },
        { status: 429, headers: { 'X-Amzn-ErrorType': 'TooManyRequestsException' } },
      ),
    );
    const notifier = lambdaNotifier({ functionName: 'task-completed', client: client(stub.url) });

    await expect(notifier.notify(event)).rejects.toThrow(
      /^Lambda invoke failed: TooManyRequestsException \(HTTP 429\)$/,
    );
    expect(stub.requests).toBe(1);
  });

  it('accepts the Runtime Interface Emulator, which answers Event invocations with 200', async () => {
    const stub = await stubEndpoint(() => new Response('{"statusCode":200}', { status: 200 }));
    const notifier = lambdaNotifier({ functionName: 'function', client: client(stub.url) });
    await expect(notifier.notify(event)).resolves.toBeUndefined();
  });

  it('rejects a status other than 200 or 202', async () => {
    const stub = await stubEndpoint(() => new Response(null, { status: 204 }));
    const notifier = lambdaNotifier({ functionName: 'task-completed', client: client(stub.url) });

    await expect(notifier.notify(event)).rejects.toThrow('Lambda invoke returned status 204');
  });

  it('rejects a function error', async () => {
    const stub = await stubEndpoint(
      () => new Response(null, { status: 202, headers: { 'X-Amz-Function-Error': 'Unhandled' } }),
    );
    const notifier = lambdaNotifier({ functionName: 'task-completed', client: client(stub.url) });

    await expect(notifier.notify(event)).rejects.toThrow('Lambda function error: Unhandled');
  });
});

describe('inProcessNotifier', () => {
  it("runs the notifier function's code and logs its line through the logger, as JSON", async () => {
    const lines: string[] = [];
    const stdout = vi.spyOn(console, 'log');

    await inProcessNotifier(
      pino({ base: undefined }, { write: (line) => lines.push(line) }),
    ).notify(event);

    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 30,
        eventId: event.eventId,
        taskId: 42,
        msg: "Lambda Notification: Task 'Café menu' assigned to Unassigned is now completed.",
      }),
    ]);
    expect(stdout).not.toHaveBeenCalled();
  });
});

describe('recordingNotifier', () => {
  it('records deliveries in order', async () => {
    const notifier = recordingNotifier();
    const second = { ...event, eventId: 'second' };

    await notifier.notify(event);
    await notifier.notify(second);

    expect(notifier.delivered).toEqual([event, second]);
    expect(notifier.attempts).toBe(2);
  });

  it('fails the next N calls, then delivers', async () => {
    const notifier = recordingNotifier();
    notifier.failNext(2, 'Lambda down');

    await expect(notifier.notify(event)).rejects.toThrow('Lambda down');
    await expect(notifier.notify(event)).rejects.toThrow('Lambda down');
    await notifier.notify(event);

    expect(notifier.delivered).toEqual([event]);
    expect(notifier.attempts).toBe(3);
  });
});
