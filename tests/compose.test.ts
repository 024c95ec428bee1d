import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalLambda } from '../lambda/local-endpoint.ts';
import { createTask } from '../src/application/tasks/create-task.ts';
import { chooseNotifier, notificationTarget, startNotificationDispatcher } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import type { TaskCompleted } from '../src/domain/task-completed.ts';
import { harness } from './harness.ts';

const event: TaskCompleted = {
  type: 'task.completed',
  eventId: '0b7c6f0e-3f7a-4d57-9a53-2f7d1a0e5c11',
  taskId: 7,
  taskTitle: 'Write report',
  assignedTo: 'alice',
  completedAt: new Date('2026-01-02T03:04:05.000Z'),
  completedBy: 'bob',
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** A logger whose JSON lines the test reads back. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

describe('chooseNotifier', () => {
  it('runs the function in process when no Lambda function is configured', async () => {
    const { lines, logger } = recordingLogger();
    const config = loadConfig({});

    await chooseNotifier(config, logger).notify(event);

    expect(lines).toEqual([
      expect.objectContaining({
        msg: "Lambda Notification: Task 'Write report' assigned to alice is now completed.",
      }),
    ]);
    expect(notificationTarget(config)).toBe('the notifier function in process');
  });

  it('runs the function in process when NOTIFIER=in-process, even with a function named', async () => {
    const { lines, logger } = recordingLogger();
    const config = loadConfig({ NOTIFIER: 'in-process', LAMBDA_FUNCTION_NAME: 'task-completed' });

    await chooseNotifier(config, logger).notify(event);

    expect(lines).toHaveLength(1);
    expect(notificationTarget(config)).toBe('the notifier function in process');
  });

  it("invokes the configured function where the SDK's AWS_ENDPOINT_URL_LAMBDA points", async () => {
    const invoked: string[] = [];
    const lambda = await startLocalLambda({
      port: 0,
      handler: (payload, context) => {
        invoked.push(`${context.functionName}: ${JSON.stringify(payload)}`);
      },
    });
    cleanups.push(() => lambda.close());
    vi.stubEnv('AWS_ENDPOINT_URL_LAMBDA', lambda.url);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const config = loadConfig({ LAMBDA_FUNCTION_NAME: 'task-completed', AWS_REGION: 'eu-west-1' });

    await chooseNotifier(config, recordingLogger().logger).notify(event);

    await vi.waitFor(() => expect(invoked).toHaveLength(1));
    expect(invoked[0]).toMatch(
      /^task-completed: \{"event":"task.completed","task_title":"Write report",/,
    );
    expect(notificationTarget(config)).toBe('AWS Lambda function task-completed');
  });
});

describe('startNotificationDispatcher', () => {
  it('delivers with the configured settings and says where to', async () => {
    const { lines, logger } = recordingLogger();
    const h = await harness();
    const dispatcher = startNotificationDispatcher({
      queue: h.queue,
      config: loadConfig({ OUTBOX_POLL_INTERVAL: '1h', OUTBOX_MAX_ATTEMPTS: '4' }),
      clock: h.clock,
      logger,
    });
    cleanups.push(() => dispatcher.stop());
    const { id } = await h.signUp();

    await createTask(h.deps, {
      actor: { id, isStaff: false },
      fields: { title: 'Wired', status: 'completed' },
    });

    await vi.waitFor(async () => expect((await h.outbox())[0]?.state).toBe('delivered'));
    expect(lines).toEqual([
      expect.objectContaining({
        component: 'notifications',
        maxAttempts: 4,
        concurrency: 10,
        msg: 'notification dispatcher started: delivering to the notifier function in process',
      }),
      expect.objectContaining({
        component: 'notifications',
        msg: "Lambda Notification: Task 'Wired' assigned to Unassigned is now completed.",
      }),
      expect.objectContaining({ component: 'notifications', msg: 'notification delivered' }),
    ]);
  });
});
