import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Dispatcher,
  type DispatcherDeps,
  type DispatchLog,
  type DispatchSettings,
  LONGEST_IDLE_SLEEP_MS,
  startDispatcher,
} from '../../src/application/notifications/dispatcher.ts';
import { retryDelayMs } from '../../src/application/notifications/retry-backoff.ts';
import type { Notifier } from '../../src/application/ports/notifier.ts';
import type { OutboxQueue } from '../../src/application/ports/outbox-queue.ts';
import { createTask } from '../../src/application/tasks/create-task.ts';
import type { TaskEvent } from '../../src/domain/task-event.ts';
import { recordingNotifier } from '../doubles/recording-notifier.ts';
import { type Harness, harness } from '../harness.ts';

const HOUR = 3_600_000;

let h: Harness;
const running: Dispatcher[] = [];

beforeEach(async () => {
  h = await harness();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop()));
});

/** Long enough for a dispatcher that was going to act to have done so. */
const moment = () => new Promise((resolve) => setTimeout(resolve, 25));

function recordingLog() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, message, fields });
    };
  const log: DispatchLog = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { lines, log };
}

function recordingMetrics() {
  const seen = { delivered: [] as number[], failed: 0, dead: 0 };
  const metrics = {
    delivered: (latencyMs: number) => {
      seen.delivered.push(latencyMs);
    },
    attemptFailed: () => {
      seen.failed += 1;
    },
    deadLettered: () => {
      seen.dead += 1;
    },
  };
  return { seen, metrics };
}

/** A dispatcher on the harness's outbox that only polls once an hour: tests wake it. */
function dispatch(
  notifier: Notifier,
  settings: Partial<DispatchSettings> = {},
  deps: Partial<DispatcherDeps> = {},
): Dispatcher {
  const dispatcher = startDispatcher(
    {
      queue: h.queue,
      notifier,
      clock: h.clock,
      log: recordingLog().log,
      random: () => 0.5,
      ...deps,
    },
    { pollIntervalMs: HOUR, ...settings },
  );
  running.push(dispatcher);
  return dispatcher;
}

/** Fails its first `failures` calls, each with its own message, then accepts. */
function flakyNotifier(failures: number) {
  const delivered: TaskEvent[] = [];
  let calls = 0;
  return {
    delivered,
    get calls() {
      return calls;
    },
    async notify(event: TaskEvent) {
      calls += 1;
      if (calls <= failures) throw new Error(`down ${calls}`);
      delivered.push(event);
    },
  };
}

/** Holds every send until `release()`, counting how many are held at once. */
function gatedNotifier() {
  const { promise: gate, resolve: release } = Promise.withResolvers<void>();
  const state = { started: 0, active: 0, mostActive: 0, delivered: [] as TaskEvent[] };
  const notifier: Notifier = {
    async notify(event) {
      state.started += 1;
      state.active += 1;
      state.mostActive = Math.max(state.mostActive, state.active);
      await gate;
      state.active -= 1;
      state.delivered.push(event);
    },
  };
  return { notifier, state, release };
}

let owner: { id: number; isStaff: boolean } | undefined;
async function completeTask(title = 'Ship it') {
  owner ??= { id: (await h.signUp()).id, isStaff: false };
  return createTask(h.deps, { actor: owner, fields: { title, status: 'completed' } });
}
beforeEach(() => {
  owner = undefined;
});

const entry = async (index = 0) => {
  const found = (await h.outbox())[index];
  if (!found) throw new Error(`no outbox entry ${index}`);
  return found;
};

describe('dispatching completion notifications', () => {
  it('sends exactly one notification per completion through the API, each once', async () => {
    const notifier = recordingNotifier();
    dispatch(notifier);
    const ada = await h.signUp();
    const send = (method: string, path: string, json: object) =>
      h.request(method, path, { token: ada.token, json });

    const created = await send('POST', '/api/tasks/', { title: 'Done', status: 'completed' });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(1));

    for (const change of [
      { title: 'Done, renamed' },
      { status: 'completed' },
      { status: 'pending' },
      { status: 'completed' },
    ])
      expect((await send('PATCH', `/api/tasks/${id}/`, change)).status).toBe(200);
    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(2));
    await moment();

    const outbox = await h.outbox();
    expect(outbox.map(({ state, attempts }) => ({ state, attempts }))).toEqual([
      { state: 'delivered', attempts: 1 },
      { state: 'delivered', attempts: 1 },
    ]);
    expect(notifier.delivered).toEqual(outbox.map(({ event }) => event));
    expect(notifier.attempts).toBe(2);
    expect(notifier.delivered[1]).toMatchObject({
      taskId: id,
      taskTitle: 'Done, renamed',
      assignedTo: 'Unassigned',
      completedBy: ada.username,
    });
  });

  it('wakes on a commit instead of waiting for the poll, and does not poll while idle', async () => {
    const notifier = recordingNotifier();
    const claim = vi.fn(h.queue.claim);
    dispatch(notifier, {}, { queue: { ...h.queue, claim } });
    await moment();
    expect(claim).toHaveBeenCalledTimes(1);

    const started = Date.now();
    await completeTask();
    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(1), { interval: 5 });

    expect(Date.now() - started).toBeLessThan(500);
    await moment();
    expect(claim).toHaveBeenCalledTimes(2);
  });

  it('lets the commits of a burst share claims and marks, one claim per gap at most', async () => {
    const notifier = recordingNotifier();
    const claim = vi.fn(h.queue.claim);
    const markDelivered = vi.fn(h.queue.markDelivered);
    dispatch(notifier, { claimGapMs: 200 }, { queue: { ...h.queue, claim, markDelivered } });
    await moment();
    expect(claim).toHaveBeenCalledTimes(1);

    const started = performance.now();
    for (let i = 0; i < 10; i++) await completeTask(`Burst ${i}`);
    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(10), { interval: 5 });

    // The first commit is claimed at once, gap or not: the last claim was long before.
    const claims = claim.mock.calls.length - 1;
    expect(claims).toBeLessThanOrEqual(1 + Math.ceil((performance.now() - started) / 200));
    expect(claims).toBeLessThan(10);
    expect(markDelivered.mock.calls.length).toBeLessThanOrEqual(claims);
    expect(markDelivered.mock.calls.flatMap(([eventIds]) => eventIds)).toHaveLength(10);
  });

  it('claims, once the gap has passed, every slot freed while it waited', async () => {
    const held: (() => void)[] = [];
    const notifier: Notifier = {
      notify: () => new Promise<void>((resolve) => held.push(resolve)),
    };
    const claim = vi.fn(h.queue.claim);
    for (let i = 0; i < 8; i += 1) await completeTask(`Task ${i}`);
    dispatch(notifier, { concurrency: 4, claimGapMs: 150 }, { queue: { ...h.queue, claim } });
    await vi.waitFor(() => expect(held).toHaveLength(4));

    // One slot frees and the dispatcher waits out the gap; the other three free meanwhile.
    held.shift()?.();
    await moment();
    for (const send of held.splice(0)) send();
    await vi.waitFor(() => expect(claim).toHaveBeenCalledTimes(2));

    expect(claim.mock.calls.map(([, limit]) => limit)).toEqual([4, 4]);
    await vi.waitFor(() => expect(held).toHaveLength(4));
    for (const send of held.splice(0)) send();
  });

  it('retries a failing send with growing delays until it is accepted', async () => {
    const notifier = flakyNotifier(3);
    const { seen, metrics } = recordingMetrics();
    const dispatcher = dispatch(notifier, { retryBaseMs: 10_000 }, { metrics });
    await completeTask();
    const completedAt = h.clock.now().getTime();

    const delays: number[] = [];
    for (const attempt of [1, 2, 3]) {
      await vi.waitFor(async () =>
        expect(await entry()).toMatchObject({ attempts: attempt, lastError: `down ${attempt}` }),
      );
      const delay = (await entry()).nextAttemptAt.getTime() - h.clock.now().getTime();
      delays.push(delay);
      h.clock.advance(delay - 1);
      dispatcher.wake();
      await moment();
      expect(notifier.calls).toBe(attempt);
      h.clock.advance(1);
      dispatcher.wake();
    }
    await vi.waitFor(async () => expect((await entry()).state).toBe('delivered'));

    expect(delays).toEqual([5_000, 10_000, 20_000]);
    expect(notifier.delivered).toHaveLength(1);
    expect(await entry()).toMatchObject({ attempts: 4, deliveredAt: h.clock.now() });
    expect(seen).toEqual({
      delivered: [h.clock.now().getTime() - completedAt],
      failed: 3,
      dead: 0,
    });
    expect(seen.delivered).toEqual([35_000]);
  });

  it('sleeps until its own next retry is due, not until the poll', async () => {
    const notifier = flakyNotifier(1);
    const started = Date.now();
    const ticking = { now: () => new Date(h.clock.now().getTime() + Date.now() - started) };
    dispatch(notifier, { retryBaseMs: 40 }, { clock: ticking });

    await completeTask();

    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(1), { interval: 5 });
    expect(notifier.calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
  });

  it('keeps events pending while the receiver is down, then delivers them when it is back', async () => {
    const notifier = recordingNotifier();
    notifier.failNext(Number.POSITIVE_INFINITY, 'Lambda invoke failed: ECONNREFUSED');
    const dispatcher = dispatch(notifier, { retryBaseMs: 1_000, retryMaxMs: 60_000 });
    const ada = await h.signUp();

    for (const title of ['One', 'Two', 'Three']) {
      const response = await h.request('POST', '/api/tasks/', {
        token: ada.token,
        json: { title, status: 'completed' },
      });
      expect(response.status).toBe(201);
    }
    for (let round = 1; round <= 4; round += 1) {
      await vi.waitFor(async () => {
        for (const { attempts, nextAttemptAt } of await h.outbox()) {
          expect(attempts).toBe(round);
          // Retried (due within the minute), not merely claimed (hidden for the lease's minute).
          expect(nextAttemptAt.getTime()).toBeLessThan(h.clock.now().getTime() + 60_000);
        }
      });
      expect((await h.request('GET', '/api/tasks/', { token: ada.token })).status).toBe(200);
      h.clock.advance(60_000);
      dispatcher.wake();
    }
    await vi.waitFor(async () => expect(notifier.attempts).toBe(15));
    expect(notifier.delivered).toEqual([]);
    expect(await h.queue.stats(h.clock.now())).toMatchObject({ pending: 3, dead: 0 });
    for (const { state, lastError } of await h.outbox()) {
      expect(state).toBe('pending');
      expect(lastError).toBe('Lambda invoke failed: ECONNREFUSED');
    }

    notifier.failNext(0);
    h.clock.advance(60_000);
    dispatcher.wake();

    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(3));
    expect(notifier.delivered.map((event) => event.taskTitle).sort()).toEqual([
      'One',
      'Three',
      'Two',
    ]);
    expect(await h.queue.stats(h.clock.now())).toEqual({
      pending: 0,
      scheduled: 0,
      dead: 0,
      oldestPendingAt: null,
    });
  });

  it('dead-letters an event after its last attempt, keeping the last error', async () => {
    const notifier = flakyNotifier(Number.POSITIVE_INFINITY);
    const { seen, metrics } = recordingMetrics();
    const { lines, log } = recordingLog();
    const dispatcher = dispatch(notifier, { maxAttempts: 3 }, { metrics, log });
    await completeTask();

    for (const attempt of [1, 2]) {
      await vi.waitFor(async () => expect((await entry()).lastError).toBe(`down ${attempt}`));
      h.clock.advance(HOUR);
      dispatcher.wake();
    }
    await vi.waitFor(async () => expect((await entry()).state).toBe('dead'));

    expect(await entry()).toMatchObject({ attempts: 3, lastError: 'down 3', deliveredAt: null });
    expect(seen).toEqual({ delivered: [], failed: 3, dead: 1 });
    expect(await h.queue.stats(h.clock.now())).toEqual({
      pending: 0,
      scheduled: 0,
      dead: 1,
      oldestPendingAt: null,
    });
    expect(lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'notification dead-lettered after its last attempt',
        fields: expect.objectContaining({ attempt: 3, error: 'down 3' }),
      }),
    ]);

    h.clock.advance(24 * HOUR);
    dispatcher.wake();
    await moment();
    expect(notifier.calls).toBe(3);
  });

  it('finishes the sends under way when stopped, and claims nothing more', async () => {
    const { notifier, state, release } = gatedNotifier();
    const dispatcher = dispatch(notifier);
    await completeTask('In flight');
    await vi.waitFor(() => expect(state.started).toBe(1));

    let stopped = false;
    const stopping = dispatcher.stop().then(() => {
      stopped = true;
    });
    await completeTask('After stop');
    await moment();
    expect(stopped).toBe(false);

    release();
    await stopping;

    expect(state.started).toBe(1);
    expect((await entry(0)).state).toBe('delivered');
    expect(await entry(1)).toMatchObject({ state: 'pending', attempts: 0 });
    await expect(dispatcher.stop()).resolves.toBeUndefined();
  });

  it('stops at once when idle', async () => {
    const dispatcher = dispatch(recordingNotifier());
    await moment();

    const started = Date.now();
    await dispatcher.stop();

    expect(Date.now() - started).toBeLessThan(100);
  });

  it('sends no more at once than its concurrency allows, and drains the backlog', async () => {
    const { notifier, state, release } = gatedNotifier();
    for (let i = 0; i < 7; i += 1) await completeTask(`Task ${i}`);

    dispatch(notifier, { concurrency: 3 });
    await vi.waitFor(() => expect(state.started).toBe(3));
    await moment();
    expect(state.started).toBe(3);

    release();
    await vi.waitFor(() => expect(state.delivered).toHaveLength(7));
    expect(state.mostActive).toBe(3);
    expect(new Set(state.delivered.map((event) => event.eventId)).size).toBe(7);
  });

  it('counts a send that never answers as a failed attempt', async () => {
    const notifier: Notifier = { notify: () => new Promise(() => {}) };
    dispatch(notifier, { sendTimeoutMs: 20 });
    await completeTask();

    await vi.waitFor(async () =>
      expect(await entry()).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: 'no answer within 20 ms',
      }),
    );
  });

  it('never sends one event twice from two dispatchers on one queue', async () => {
    const sent: string[] = [];
    const notifier: Notifier = {
      async notify(event) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        sent.push(event.eventId);
      },
    };
    dispatch(notifier, { concurrency: 3 });
    dispatch(notifier, { concurrency: 3 });

    for (let i = 0; i < 30; i += 1) await completeTask(`Task ${i}`);

    await vi.waitFor(() => expect(sent).toHaveLength(30));
    await moment();
    expect(new Set(sent).size).toBe(30);
    expect(sent).toHaveLength(30);
  });

  it('picks up an event whose claim lapsed, as a dispatcher that died mid-send leaves it', async () => {
    await completeTask();
    await h.queue.claim(h.clock.now(), 10, new Date(h.clock.now().getTime() + 60_000));
    const notifier = recordingNotifier();
    const dispatcher = dispatch(notifier);
    await moment();
    expect(notifier.attempts).toBe(0);

    h.clock.advance(60_000);
    dispatcher.wake();

    await vi.waitFor(async () => expect((await entry()).state).toBe('delivered'));
    expect(await entry()).toMatchObject({ attempts: 2 });
    expect(notifier.delivered).toHaveLength(1);
  });

  it('dead-letters without sending an event whose claims lapsed past the last attempt', async () => {
    await completeTask();
    for (const _ of [1, 2]) {
      await h.queue.claim(h.clock.now(), 10, new Date(h.clock.now().getTime() + 60_000));
      h.clock.advance(60_000);
    }
    const notifier = recordingNotifier();

    dispatch(notifier, { maxAttempts: 2 });

    await vi.waitFor(async () =>
      expect(await entry()).toMatchObject({
        state: 'dead',
        attempts: 3,
        lastError: 'lease of attempt 2 expired with no outcome',
      }),
    );
    expect(notifier.attempts).toBe(0);
  });

  it('keeps going when the queue fails, logging it, and says when it is back', async () => {
    let failures = 2;
    const queue: OutboxQueue = {
      ...h.queue,
      async claim(...args) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('connection refused');
        }
        return h.queue.claim(...args);
      },
    };
    const notifier = recordingNotifier();
    const { lines, log } = recordingLog();
    await completeTask();

    dispatch(notifier, { pollIntervalMs: 10 }, { queue, log });

    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(1));
    expect(lines.map(({ level, message }) => `${level}: ${message}`)).toEqual([
      'error: claiming notifications failed; trying again after the poll interval',
      'error: claiming notifications failed; trying again after the poll interval',
      'info: outbox queue is back',
      'debug: notification delivered',
    ]);
    expect(lines[0]?.fields).toMatchObject({ err: new Error('connection refused'), failures: 1 });
  });

  it('sends again an event whose delivery could not be recorded: at least once, never lost', async () => {
    let failures = 1;
    const queue: OutboxQueue = {
      ...h.queue,
      async markDelivered(...args) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('connection lost');
        }
        return h.queue.markDelivered(...args);
      },
    };
    const notifier = recordingNotifier();
    const { lines, log } = recordingLog();
    const dispatcher = dispatch(notifier, { leaseMs: 60_000 }, { queue, log });
    await completeTask();
    await vi.waitFor(() =>
      expect(lines.map((line) => line.level)).toEqual(expect.arrayContaining(['error'])),
    );
    expect(await entry()).toMatchObject({ state: 'pending', attempts: 1 });

    h.clock.advance(60_000);
    dispatcher.wake();

    await vi.waitFor(async () => expect((await entry()).state).toBe('delivered'));
    expect(notifier.delivered).toHaveLength(2);
    expect(notifier.delivered[0]).toEqual(notifier.delivered[1]);
  });

  it('refuses a lease no longer than the send timeout', () => {
    expect(() => dispatch(recordingNotifier(), { leaseMs: 5_000, sendTimeoutMs: 5_000 })).toThrow(
      RangeError,
    );
    expect(() => dispatch(recordingNotifier(), { concurrency: 0 })).toThrow(RangeError);
    expect(() => dispatch(recordingNotifier(), { maxAttempts: 2.5 })).toThrow(RangeError);
  });
});

describe('dispatching reminders', () => {
  it('looks again within a minute however long the poll, so a reminder is not late', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const notifier = recordingNotifier();
      dispatch(notifier, { pollIntervalMs: 10 * HOUR });
      const sendAt = new Date(h.clock.now().getTime() + 30_000);
      await h.deps.uow.run((tx) =>
        tx.outbox.add({
          type: 'task.due',
          eventId: randomUUID(),
          taskId: 1,
          taskTitle: 'Due soon',
          assignedTo: 'ada',
          dueAt: new Date(sendAt.getTime() + HOUR),
          sendAt,
        }),
      );
      await vi.advanceTimersByTimeAsync(1_000);
      expect(notifier.attempts).toBe(0);
      h.clock.advance(30_000);
      await vi.advanceTimersByTimeAsync(LONGEST_IDLE_SLEEP_MS);
      await vi.waitFor(() => expect(notifier.delivered).toHaveLength(1));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('retryDelayMs', () => {
  const policy = { retryBaseMs: 10_000, retryMaxMs: 1_200_000 };

  it('doubles the ceiling with each failure, up to the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) =>
      retryDelayMs(n, policy, () => 1 - 2 ** -52),
    );
    expect(ceilings).toEqual([
      9_999, 19_999, 39_999, 79_999, 159_999, 319_999, 639_999, 1_199_999, 1_199_999, 1_199_999,
    ]);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, policy, () => 0)).toBe(0);
    expect(retryDelayMs(3, policy, () => 0.25)).toBe(10_000);
    expect(retryDelayMs(60, policy, () => 0.5)).toBe(600_000);
  });

  it('spreads the default ten attempts over at most about an hour', () => {
    let worst = 0;
    for (let failed = 1; failed < 10; failed += 1) worst += retryDelayMs(failed, policy, () => 1);
    expect(worst / 60_000).toBeCloseTo(61.2, 1);
  });
});
