import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalLambda } from '../../lambda/local-endpoint.ts';
import type { TaskCompletedPayload } from '../../src/adapters/notifications/payload.ts';
import {
  type MikroOrmPersistence,
  openMikroOrmPersistence,
} from '../../src/adapters/persistence/mikro-orm/persistence.ts';
import { systemClock } from '../../src/adapters/system-clock.ts';
import { startDispatcher } from '../../src/application/notifications/dispatcher.ts';
import type { Notifier } from '../../src/application/ports/notifier.ts';
import type { CompletionRecord } from '../../src/domain/task-completed.ts';
import { SOURCE_OPTIONS } from '../service-process.ts';
import { createTestDatabase } from '../setup/postgres-database.ts';

const logger = pino({ level: 'silent' });
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const slowly = { timeout: 20_000, interval: 50 };

let url: string;
const cleanups: (() => Promise<unknown>)[] = [];

// A database of its own for each test, so that no test sees another's events.
beforeEach(async () => {
  const database = await createTestDatabase();
  url = database.url;
  // Cleanups run last first: this one after everything connected to the database is closed.
  cleanups.push(() => database.drop());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(): Promise<MikroOrmPersistence> {
  const persistence = await openMikroOrmPersistence(url, { logger });
  cleanups.push(() => persistence.close());
  return persistence;
}

function completed(title: string): CompletionRecord {
  return {
    type: 'task.completed',
    eventId: randomUUID(),
    taskId: 1,
    taskTitle: title,
    assigneeId: null,
    completedAt: new Date(),
    completerId: 1,
  };
}

/** `npm run dispatcher` against this test's database, delivering to a Lambda at `endpoint`. */
function dispatcherProcess(endpoint: string): ChildProcess {
  const child = spawn(process.execPath, [...SOURCE_OPTIONS, 'scripts/dispatcher.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      LAMBDA_FUNCTION_NAME: 'task-completed',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_LAMBDA: endpoint,
      OUTBOX_LEASE: '4s',
      OUTBOX_POLL_INTERVAL: '1s',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  return child;
}

/** A Lambda endpoint that accepts connections and never answers: a send stays under way. */
async function hungEndpoint() {
  const sockets: Socket[] = [];
  const hung = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => hung.close(resolve));
  });
  const { port } = hung.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, sockets };
}

describe('dispatching from PostgreSQL', () => {
  it("tells another process of a commit's events, and its own listeners once a commit", async () => {
    const [writer, other] = [await open(), await open()];
    const own = vi.fn();
    const theirs = vi.fn();
    const unsubscribe = [writer.queue.onAdded(own), other.queue.onAdded(theirs)];
    cleanups.push(async () => {
      for (const end of unsubscribe) end();
    });

    await expect(
      writer.uow.run(async (tx) => {
        await tx.outbox.add(completed('Rolled back'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writer.uow.run((tx) => tx.outbox.add(completed(`Task ${i}`))),
      ),
    );

    expect(own).toHaveBeenCalledTimes(20);
    await vi.waitFor(() => expect(theirs).toHaveBeenCalled(), slowly);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(own).toHaveBeenCalledTimes(20);
    expect(theirs.mock.calls.length).toBeLessThanOrEqual(20);
    expect(await other.queue.stats(new Date())).toMatchObject({ pending: 20 });
  });

  it('never sends one event twice from two dispatchers on one database', async () => {
    const [first, second] = [await open(), await open()];
    const sent: string[] = [];
    const notifier: Notifier = {
      async notify(event) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        sent.push(event.eventId);
      },
    };
    for (const persistence of [first, second]) {
      const dispatcher = startDispatcher(
        { queue: persistence.queue, notifier, clock: systemClock, log: quiet },
        { concurrency: 4, pollIntervalMs: 200 },
      );
      cleanups.push(() => dispatcher.stop());
    }

    const events = Array.from({ length: 100 }, (_, i) => completed(`Task ${i}`));
    for (let batch = 0; batch < 100; batch += 10)
      await first.uow.run(async (tx) => {
        for (const event of events.slice(batch, batch + 10)) await tx.outbox.add(event);
      });

    await vi.waitFor(() => expect(sent).toHaveLength(100), slowly);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toHaveLength(100);
    expect(new Set(sent)).toEqual(new Set(events.map((event) => event.eventId)));
    await vi.waitFor(
      async () => expect(await first.queue.stats(new Date())).toMatchObject({ pending: 0 }),
      slowly,
    );
  }, 30_000);

  it('sends an event after the dispatcher sending it was killed, once its lease lapses', async () => {
    const persistence = await open();
    const event = completed('Survives SIGKILL');
    await persistence.uow.run((tx) => tx.outbox.add(event));
    const hung = await hungEndpoint();
    const received: TaskCompletedPayload[] = [];
    const lambda = await startLocalLambda({
      port: 0,
      handler: (payload) => {
        received.push(payload as TaskCompletedPayload);
      },
    });
    cleanups.push(() => lambda.close());

    const killed = dispatcherProcess(hung.url);
    await vi.waitFor(() => expect(hung.sockets.length).toBeGreaterThan(0), slowly);
    killed.kill('SIGKILL');
    await once(killed, 'exit');
    expect(await persistence.queue.stats(new Date())).toMatchObject({ pending: 1, dead: 0 });

    const restarted = dispatcherProcess(lambda.url);
    await vi.waitFor(() => expect(received).toHaveLength(1), slowly);

    expect(received[0]).toMatchObject({ event_id: event.eventId, task_title: 'Survives SIGKILL' });
    await vi.waitFor(
      async () =>
        expect(await persistence.queue.stats(new Date())).toEqual({
          pending: 0,
          scheduled: 0,
          dead: 0,
          oldestPendingAt: null,
        }),
      slowly,
    );
    restarted.kill('SIGTERM');
    const [code] = await once(restarted, 'exit');
    expect(code).toBe(0);
    expect(received).toHaveLength(1);
  }, 40_000);
});
