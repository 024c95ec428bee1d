import { InvokeCommand, LambdaServiceException } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type LocalLambdaOptions,
  type ServiceFault,
  startLocalLambda,
} from '../../lambda/local-endpoint.ts';
import {
  createLambdaClient,
  lambdaNotifier,
} from '../../src/adapters/notifications/lambda-notifier.ts';
import type { TaskCompletedPayload } from '../../src/adapters/notifications/payload.ts';
import {
  type Dispatcher,
  startDispatcher,
} from '../../src/application/notifications/dispatcher.ts';
import { type Harness, harness, type SignedUp } from '../harness.ts';

const HOUR = 3_600_000;
/** The AWS SDK over a real socket is slower than the in-memory tests. */
const patiently = { timeout: 5_000 };
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let h: Harness;
let ada: SignedUp;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A local Lambda whose function records what it receives. */
async function localLambda(options: Omit<LocalLambdaOptions, 'handler'> = {}) {
  const received: TaskCompletedPayload[] = [];
  const lambda = await startLocalLambda({
    port: 0,
    ...options,
    handler: (event) => {
      received.push(event as TaskCompletedPayload);
      return { statusCode: 200 };
    },
  });
  cleanups.push(() => lambda.close());
  return { lambda, received };
}

function client(url: string) {
  return createLambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    timeoutMs: 1_000,
  });
}

/** A dispatcher sending through the real AWS SDK to `url`; the test moves time and wakes it. */
function dispatchTo(url: string): Dispatcher {
  const dispatcher = startDispatcher(
    {
      queue: h.queue,
      notifier: lambdaNotifier({ functionName: 'task-completed', client: client(url) }),
      clock: h.clock,
      log: quiet,
      random: () => 0.5,
    },
    { pollIntervalMs: HOUR, retryBaseMs: 10_000 },
  );
  cleanups.push(() => dispatcher.stop());
  return dispatcher;
}

async function completeTask(title: string) {
  const response = await h.request('POST', '/api/tasks/', {
    token: ada.token,
    json: { title, status: 'completed' },
  });
  expect(response.status).toBe(201);
  return (await response.json()).id as number;
}

/** Moves past the retries of the first attempts (each under a minute) and lets it look. */
function nextRound(dispatcher: Dispatcher) {
  h.clock.advance(60_000);
  dispatcher.wake();
}

describe('the dispatcher and the Lambda notifier, through the AWS SDK', () => {
  it('retries while the Lambda service fails invocations, then delivers once', async () => {
    const faults: ServiceFault[] = [
      { status: 500, type: 'ServiceException' },
      { status: 429, type: 'TooManyRequestsException' },
    ];
    const { lambda, received } = await localLambda({ fault: () => faults.shift() });
    const dispatcher = dispatchTo(lambda.url);

    const taskId = await completeTask('Through Lambda');
    const completedAt = h.clock.now().toISOString();
    for (const error of [
      'Lambda invoke failed: ServiceException (HTTP 500)',
      'Lambda invoke failed: TooManyRequestsException (HTTP 429)',
    ]) {
      await vi.waitFor(async () => expect((await h.outbox())[0]?.lastError).toBe(error), patiently);
      expect(received).toEqual([]);
      nextRound(dispatcher);
    }

    await vi.waitFor(() => expect(received).toHaveLength(1), patiently);
    // The function has the event a moment before the dispatcher records the delivery.
    await vi.waitFor(
      async () => expect((await h.outbox())[0]).toMatchObject({ state: 'delivered', attempts: 3 }),
      patiently,
    );
    const [entry] = await h.outbox();
    expect(received[0]).toEqual({
      event: 'task.completed',
      task_title: 'Through Lambda',
      assigned_to: 'Unassigned',
      task_id: taskId,
      event_id: entry?.event.eventId,
      completed_at: completedAt,
      completed_by: ada.username,
    });
  });

  it('keeps the API answering and the events pending while Lambda is unreachable, then delivers them', async () => {
    const gone = await startLocalLambda({ port: 0 });
    const port = Number(new URL(gone.url).port);
    await gone.close();
    const dispatcher = dispatchTo(gone.url);

    await completeTask('One');
    await completeTask('Two');
    for (let round = 1; round <= 3; round += 1) {
      await vi.waitFor(async () => {
        for (const entry of await h.outbox()) {
          expect(entry).toMatchObject({
            state: 'pending',
            attempts: round,
            lastError: expect.stringMatching(/^Lambda invoke failed: .*ECONNREFUSED/),
          });
          // Retried (due within the minute), not merely claimed (hidden for the lease's minute).
          expect(entry.nextAttemptAt.getTime()).toBeLessThan(h.clock.now().getTime() + 60_000);
        }
      }, patiently);
      const list = await h.request('GET', '/api/tasks/', { token: ada.token });
      expect(list.status).toBe(200);
      nextRound(dispatcher);
    }
    await vi.waitFor(
      async () => expect((await h.outbox()).map((entry) => entry.attempts)).toEqual([4, 4]),
      patiently,
    );

    const { received } = await localLambda({ port });
    nextRound(dispatcher);

    await vi.waitFor(() => expect(received).toHaveLength(2), patiently);
    expect(received.map((payload) => payload.task_title).sort()).toEqual(['One', 'Two']);
    await vi.waitFor(
      async () =>
        expect((await h.outbox()).map((entry) => entry.state)).toEqual(['delivered', 'delivered']),
      patiently,
    );
    expect(await h.queue.stats(h.clock.now())).toMatchObject({ pending: 0, dead: 0 });
  });
});

describe('local Lambda endpoint faults', () => {
  it('fails an invocation as the service would, without running the function', async () => {
    const seen: { functionName: string; type: string }[] = [];
    const { lambda, received } = await localLambda({
      fault: (invocation) => {
        seen.push(invocation);
        return { status: 503, type: 'ServiceUnavailableException', message: 'try later' };
      },
    });

    const failure = await client(lambda.url)
      .send(new InvokeCommand({ FunctionName: 'task-completed', InvocationType: 'Event' }))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(LambdaServiceException);
    expect(failure).toMatchObject({
      name: 'ServiceUnavailableException',
      message: 'try later',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
    });
    expect(seen).toEqual([{ functionName: 'task-completed', type: 'Event' }]);
    expect(received).toEqual([]);
  });

  it('runs the function when the fault hook passes', async () => {
    const { lambda, received } = await localLambda({ fault: () => undefined });

    const response = await client(lambda.url).send(
      new InvokeCommand({
        FunctionName: 'task-completed',
        Payload: new TextEncoder().encode('{"task_title":"T"}'),
      }),
    );

    expect(response.StatusCode).toBe(200);
    expect(received).toEqual([{ task_title: 'T' }]);
  });
});
