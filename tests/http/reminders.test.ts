import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Dispatcher,
  startDispatcher,
} from '../../src/application/notifications/dispatcher.ts';
import { retryDeadEvent } from '../../src/application/notifications/retry-dead-event.ts';
import type { TaskDue } from '../../src/domain/reminders.ts';
import { type RecordingNotifier, recordingNotifier } from '../doubles/recording-notifier.ts';
import { type Harness, harness, REMINDER_LEAD_MS, type SignedUp } from '../harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let h: Harness;
let creator: SignedUp;
let assignee: SignedUp;
const running: Dispatcher[] = [];

beforeEach(async () => {
  h = await harness();
  creator = await h.signUp();
  assignee = await h.signUp();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop()));
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A dispatcher on the harness's outbox and clock that polls only when woken. Its leases outlast
 * every jump of the clock here, so that no send still under way is claimed a second time.
 */
function dispatch(notifier: RecordingNotifier = recordingNotifier()) {
  const dispatcher = startDispatcher(
    { queue: h.queue, notifier, clock: h.clock, log: silent, random: () => 0.5 },
    {
      pollIntervalMs: HOUR,
      retryBaseMs: MINUTE,
      retryMaxMs: MINUTE,
      maxAttempts: 3,
      leaseMs: 24 * HOUR,
    },
  );
  running.push(dispatcher);
  return { dispatcher, notifier };
}

/** Long enough for a dispatcher that was going to act to have done so. */
const moment = () => new Promise((resolve) => setTimeout(resolve, 50));

const inHours = (hours: number) => new Date(h.clock.now().getTime() + hours * HOUR);

async function newTask(body: Record<string, unknown> = {}) {
  const response = await h.request('POST', '/api/tasks/', {
    token: creator.token,
    json: { title: 'Ship it', assigned_to: assignee.id, ...body },
  });
  expect(response.status).toBe(201);
  return response.json();
}

async function patch(id: number, json: Record<string, unknown>, token = creator.token) {
  const response = await h.request('PATCH', `/api/tasks/${id}/`, { token, json });
  expect(response.status).toBe(200);
  return response.json();
}

const reminded = (notifier: RecordingNotifier) =>
  notifier.delivered.filter((event): event is TaskDue => event.type === 'task.due');

describe('scheduling a reminder', () => {
  it('records one for a pending, assigned, dated task, REMINDER_LEAD before due_at', async () => {
    const dueAt = inHours(3);
    const task = await newTask({ due_at: dueAt.toISOString() });
    expect(await h.reminders()).toEqual([
      expect.objectContaining({
        state: 'pending',
        attempts: 0,
        event: {
          type: 'task.due',
          eventId: expect.any(String),
          taskId: task.id,
          taskTitle: 'Ship it',
          assignedTo: assignee.username,
          dueAt,
          sendAt: new Date(dueAt.getTime() - REMINDER_LEAD_MS),
        },
      }),
    ]);
    expect(await h.queue.stats(h.clock.now())).toMatchObject({ pending: 0, scheduled: 1 });
  });

  it('is sent once its time comes, not before', async () => {
    const { dispatcher, notifier } = dispatch();
    const task = await newTask({ due_at: inHours(3).toISOString() });
    await moment();
    expect(notifier.attempts).toBe(0);

    h.clock.advance(2 * HOUR - 1);
    dispatcher.wake();
    await moment();
    expect(notifier.attempts).toBe(0);

    h.clock.advance(1);
    dispatcher.wake();
    await vi.waitFor(() => expect(reminded(notifier)).toHaveLength(1));
    expect(reminded(notifier)[0]).toMatchObject({ taskId: task.id, dueAt: inHours(1) });
    expect(await h.queue.stats(h.clock.now())).toMatchObject({ pending: 0, scheduled: 0 });
    expect((await h.reminders())[0]?.state).toBe('delivered');
  });

  it('goes out right away when the lead has already begun', async () => {
    const { notifier } = dispatch();
    const dueAt = new Date(h.clock.now().getTime() + 10 * MINUTE);
    await newTask({ due_at: dueAt.toISOString() });
    expect((await h.reminders())[0]?.event.sendAt).toEqual(h.clock.now());
    await vi.waitFor(() => expect(reminded(notifier)).toHaveLength(1));
  });

  it.each([
    ['no assignee', { assigned_to: null, due_at: '2026-01-02T00:00:00Z' }],
    ['no due date', { due_at: null }],
    ['a due date already past', { due_at: '2026-01-01T08:59:59Z' }],
    ['a due date that is now', { due_at: '2026-01-01T09:00:00Z' }],
    ['a task created completed', { status: 'completed', due_at: '2026-01-02T00:00:00Z' }],
  ])('records none for %s', async (_, body) => {
    await newTask(body);
    expect(await h.reminders()).toEqual([]);
  });

  it('schedules one when a change makes the task due: a due date, then an assignee', async () => {
    const task = await newTask({ assigned_to: null });
    await patch(task.id, { due_at: inHours(5).toISOString() });
    expect(await h.reminders()).toEqual([]);
    await patch(task.id, { assigned_to: assignee.id });
    expect(await h.reminders()).toHaveLength(1);
  });

  it('does not change for a change of other fields', async () => {
    const task = await newTask({ due_at: inHours(5).toISOString() });
    const [before] = await h.reminders();
    await patch(task.id, { priority: 'high', labels: ['x'], description: 'more' });
    expect(await h.reminders()).toEqual([before]);
  });

  it('says the current title and assignee', async () => {
    const other = await h.signUp();
    const task = await newTask({ due_at: inHours(5).toISOString() });
    await patch(task.id, { title: 'Ship it today', assigned_to: other.id });
    expect(await h.reminders()).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({ taskTitle: 'Ship it today', assignedTo: other.username }),
      }),
    ]);
  });
});

describe('withdrawing a reminder', () => {
  it('reminds a task whose due date moves for the new time only', async () => {
    const { dispatcher, notifier } = dispatch();
    const task = await newTask({ due_at: inHours(3).toISOString() });
    const later = inHours(6);
    await patch(task.id, { due_at: later.toISOString() });
    expect((await h.reminders()).map((entry) => entry.event.dueAt)).toEqual([later]);

    h.clock.advance(6 * HOUR);
    dispatcher.wake();
    await vi.waitFor(() => expect(reminded(notifier)).toHaveLength(1));
    await moment();
    expect(reminded(notifier).map((event) => event.dueAt)).toEqual([later]);
  });

  it('reminds each due date at most once, even when the date comes back to it', async () => {
    const { dispatcher, notifier } = dispatch();
    const first = new Date(h.clock.now().getTime() + 30 * MINUTE);
    const task = await newTask({ due_at: first.toISOString() });
    await vi.waitFor(async () => expect((await h.reminders())[0]?.state).toBe('delivered'));
    expect(reminded(notifier)).toHaveLength(1);

    await patch(task.id, { due_at: inHours(5).toISOString() });
    await patch(task.id, { due_at: first.toISOString() });
    expect((await h.reminders()).map((entry) => [entry.event.dueAt, entry.state])).toEqual([
      [first, 'delivered'],
    ]);
    dispatcher.wake();
    await moment();
    expect(reminded(notifier)).toHaveLength(1);
  });

  it.each([
    ['completed', { status: 'completed' }],
    ['unassigned', { assigned_to: null }],
    ['undated', { due_at: null }],
    ['dated in the past', { due_at: '2026-01-01T08:00:00Z' }],
  ])('sends none for a task %s before it went out', async (_, change) => {
    const { dispatcher, notifier } = dispatch();
    const task = await newTask({ due_at: inHours(3).toISOString() });
    await patch(task.id, change);
    expect(await h.reminders()).toEqual([]);
    h.clock.advance(3 * HOUR);
    dispatcher.wake();
    await moment();
    expect(reminded(notifier)).toEqual([]);
  });

  it('sends none for a task deleted before it went out', async () => {
    const { dispatcher, notifier } = dispatch();
    const task = await newTask({ due_at: inHours(3).toISOString() });
    const response = await h.request('DELETE', `/api/tasks/${task.id}/`, { token: creator.token });
    expect(response.status).toBe(204);
    expect(await h.reminders()).toEqual([]);
    h.clock.advance(3 * HOUR);
    dispatcher.wake();
    await moment();
    expect(notifier.attempts).toBe(0);
  });

  it('reminds a task reopened, and re-dated, anew', async () => {
    const task = await newTask({ due_at: inHours(3).toISOString() });
    await patch(task.id, { status: 'completed' }, assignee.token);
    expect(await h.reminders()).toEqual([]);
    await patch(task.id, { status: 'pending' }, assignee.token);
    expect((await h.reminders()).map((entry) => entry.event.dueAt)).toEqual([inHours(3)]);
    await patch(task.id, { due_at: inHours(4).toISOString() });
    expect((await h.reminders()).map((entry) => entry.event.dueAt)).toEqual([inHours(4)]);
  });

  it('cancels one whose delivery is failing, so that no retry sends it', async () => {
    const notifier = recordingNotifier();
    notifier.failNext(1);
    const { dispatcher } = dispatch(notifier);
    const task = await newTask({ due_at: inHours(0.5).toISOString() });
    await vi.waitFor(async () =>
      expect((await h.reminders())[0]?.lastError).toBe('Notifier failure'),
    );

    await patch(task.id, { status: 'completed' }, assignee.token);
    expect((await h.reminders()).map((entry) => entry.state)).toEqual(['cancelled']);
    await vi.waitFor(async () =>
      expect(await h.queue.stats(h.clock.now())).toMatchObject({ pending: 0 }),
    );
    h.clock.advance(HOUR);
    dispatcher.wake();
    await vi.waitFor(() => expect(notifier.delivered).toHaveLength(1));
    await moment();
    expect(notifier.delivered.map((event) => event.type)).toEqual(['task.completed']);
    expect(await h.queue.stats(h.clock.now())).toMatchObject({ pending: 0, scheduled: 0 });
  });

  it('keeps a reminder cancelled mid-send cancelled, whatever the send reports', async () => {
    const task = await newTask({ due_at: inHours(0.5).toISOString() });
    const [claimed] = await h.queue.claim(h.clock.now(), 10, inHours(1));
    await patch(task.id, { due_at: null });
    await h.queue.retryLater(claimed?.event.eventId ?? '', h.clock.now(), 'timed out');
    expect((await h.reminders()).map((entry) => entry.state)).toEqual(['cancelled']);
    expect(await h.queue.claim(inHours(2), 10, inHours(3))).toEqual([]);
  });

  it('brings back a cancelled reminder when the date comes back to it, saying what is current', async () => {
    const dueAt = inHours(0.5);
    const task = await newTask({ due_at: dueAt.toISOString() });
    const [claimed] = await h.queue.claim(h.clock.now(), 10, inHours(1));
    await patch(task.id, { due_at: inHours(5).toISOString() });
    await patch(task.id, { due_at: dueAt.toISOString(), title: 'Renamed' });
    const reminders = await h.reminders();
    expect(reminders.map((entry) => [entry.event.dueAt, entry.state])).toEqual([
      [dueAt, 'pending'],
    ]);
    expect(reminders[0]?.event).toMatchObject({
      eventId: claimed?.event.eventId,
      taskTitle: 'Renamed',
    });
  });
});

describe('withdrawing a dead reminder', () => {
  /** A task whose reminder failed its every attempt: dead, a staff retry away from going out. */
  async function deadReminder() {
    const notifier = recordingNotifier();
    notifier.failNext(3, 'down');
    const { dispatcher } = dispatch(notifier);
    const task = await newTask({ due_at: inHours(0.5).toISOString() });
    for (const attempt of [1, 2]) {
      await vi.waitFor(() => expect(notifier.attempts).toBe(attempt));
      h.clock.advance(MINUTE);
      dispatcher.wake();
    }
    await vi.waitFor(async () => expect((await h.reminders())[0]?.state).toBe('dead'));
    const [dead] = await h.reminders();
    return { task, dispatcher, notifier, dead: dead as NonNullable<typeof dead> };
  }

  it.each([
    ['completed', (id: number) => patch(id, { status: 'completed' }, assignee.token)],
    ['re-dated', (id: number) => patch(id, { due_at: inHours(5).toISOString() })],
    [
      'deleted',
      async (id: number) => {
        const response = await h.request('DELETE', `/api/tasks/${id}/`, { token: creator.token });
        expect(response.status).toBe(204);
      },
    ],
  ])('cancels it when the task is %s, so that a staff retry cannot send it', async (_, change) => {
    const { task, dispatcher, notifier, dead } = await deadReminder();
    const staff = await h.signUp({ staff: true });
    await change(task.id);

    const entries = await h.reminders();
    expect(entries.find((entry) => entry.event.eventId === dead.event.eventId)).toMatchObject({
      state: 'cancelled',
      lastError: 'down',
    });
    expect(entries.filter((entry) => entry.state === 'dead')).toEqual([]);
    await expect(
      retryDeadEvent(h.deps, {
        actor: { id: staff.id, isStaff: true },
        eventId: dead.event.eventId,
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    h.clock.advance(HOUR);
    dispatcher.wake();
    await moment();
    expect(reminded(notifier)).toEqual([]);
    expect(await h.queue.stats(h.clock.now())).toMatchObject({ dead: 0 });
  });

  it('sends it afresh, saying what is current, when an edit schedules its due date again', async () => {
    const { task, notifier, dead } = await deadReminder();
    await patch(task.id, { title: 'Renamed' });
    await vi.waitFor(() => expect(reminded(notifier)).toHaveLength(1));
    expect(reminded(notifier)[0]).toMatchObject({
      eventId: dead.event.eventId,
      taskTitle: 'Renamed',
    });
    expect((await h.reminders())[0]).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});

describe('delivering reminders', () => {
  it('sends each reminder once with two dispatchers on one outbox', async () => {
    const notifier = recordingNotifier();
    const first = dispatch(notifier);
    const second = dispatch(notifier);
    for (let i = 0; i < 10; i++) await newTask({ due_at: inHours(2 + i / 10).toISOString() });
    h.clock.advance(3 * HOUR);
    first.dispatcher.wake();
    second.dispatcher.wake();
    await vi.waitFor(() => expect(reminded(notifier)).toHaveLength(10));
    await moment();
    const ids = reminded(notifier).map((event) => event.eventId);
    expect(new Set(ids).size).toBe(10);
    expect(notifier.attempts).toBe(10);
  });

  it('sends a reminder whose dispatcher died mid-send once its lease lapses', async () => {
    await newTask({ due_at: inHours(0.5).toISOString() });
    // A dispatcher claims it and dies before it records an outcome.
    expect(await h.queue.claim(h.clock.now(), 10, inHours(0.1))).toHaveLength(1);
    const { dispatcher, notifier } = dispatch();
    await moment();
    expect(notifier.attempts).toBe(0);
    h.clock.advance(0.1 * HOUR);
    dispatcher.wake();
    await vi.waitFor(() => expect(reminded(notifier)).toHaveLength(1));
    expect((await h.reminders())[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('retries a failed reminder and dead-letters it after the last attempt', async () => {
    const notifier = recordingNotifier();
    notifier.failNext(3, 'down');
    const { dispatcher } = dispatch(notifier);
    await newTask({ due_at: inHours(0.5).toISOString() });
    for (const attempt of [1, 2]) {
      await vi.waitFor(() => expect(notifier.attempts).toBe(attempt));
      h.clock.advance(MINUTE);
      dispatcher.wake();
    }
    await vi.waitFor(async () => expect((await h.reminders())[0]?.state).toBe('dead'));
    expect((await h.reminders())[0]).toMatchObject({ attempts: 3, lastError: 'down' });
    expect(await h.queue.stats(h.clock.now())).toMatchObject({ dead: 1, pending: 0 });
  });
});
