import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../../src/application/ports/outbox-queue.ts';
import type { TaskDue } from '../../src/domain/reminders.ts';
import {
  type CompletionRecord,
  type TaskCompleted,
  taskCompleted,
} from '../../src/domain/task-completed.ts';
import type { EventRecord } from '../../src/domain/task-event.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
/** An instant `seconds` after the suite's epoch. */
const at = (seconds: number) => new Date(T0 + seconds * 1000);

let taskIds = 0;

/** A reminder of a task due at `dueSeconds`, to go out at `sendSeconds`. */
function reminder(
  taskId: number,
  dueSeconds: number,
  sendSeconds: number,
  overrides: Partial<TaskDue> = {},
): TaskDue {
  return {
    type: 'task.due',
    eventId: randomUUID(),
    taskId,
    taskTitle: 'Write the report',
    assignedTo: 'bob',
    dueAt: at(dueSeconds),
    sendAt: at(sendSeconds),
    ...overrides,
  };
}

const ids = (entries: OutboxEntry[]) => entries.map((entry) => entry.event.eventId);

/**
 * The OutboxQueue port, run against each persistence adapter. A new event is created, due and
 * ordered at its `completedAt` (the application clock's instant of the change), so these tests
 * pass explicit instants to `claim` instead of reading a clock.
 */
export function outboxQueueContract(name: string, make: MakePersistence): void {
  describe(`OutboxQueue: ${name}`, () => {
    let persistence: Persistence;
    /** The users the events name, by id. */
    const names = new Map<number, string>();
    let ada: number;
    let zoe: number;
    beforeEach(async () => {
      persistence = await make();
      names.clear();
      for (const name of ['ada', 'zoë']) {
        const { id } = await persistence.users.add(userDraft(name));
        names.set(id, name);
      }
      [ada, zoe] = [...names.keys()] as [number, number];
    });
    afterEach(async () => {
      await persistence.close();
    });

    /** An event completed by ada `seconds` after the epoch; its task need not exist. */
    function completed(
      seconds: number,
      overrides: Partial<CompletionRecord> = {},
    ): CompletionRecord {
      return {
        type: 'task.completed',
        eventId: randomUUID(),
        taskId: ++taskIds,
        taskTitle: 'Write the report',
        assigneeId: null,
        completedAt: at(seconds),
        completerId: ada,
        ...overrides,
      };
    }
    /** The event the outbox holds for `completion`, its users named as they were when added. */
    const eventOf = (completion: CompletionRecord): TaskCompleted =>
      taskCompleted(completion, {
        assignee: names.get(completion.assigneeId as number) ?? null,
        completer: names.get(completion.completerId) ?? null,
      });

    const queue = () => persistence.queue;
    const add = (...events: EventRecord[]) =>
      persistence.uow.run(async (tx) => {
        for (const event of events) await tx.outbox.add(event);
      });
    const withdraw = (taskId: number) =>
      persistence.uow.run((tx) => tx.outbox.withdrawReminder(taskId));
    /** Every claimable event at `seconds`, claimed: what a dispatcher would send. */
    const claimAll = (seconds: number) => queue().claim(at(seconds), 100, at(seconds + 30));

    it('claims due events oldest first, at most `limit`, each counted as an attempt', async () => {
      const second = completed(2, { taskTitle: 'Café ☕ "menu"', assigneeId: zoe });
      const first = completed(1);
      const third = completed(3);
      await add(second);
      await add(third, first);

      const claimed = await queue().claim(at(10), 2, at(40));

      expect(ids(claimed)).toEqual([first.eventId, second.eventId]);
      expect(claimed[1]).toEqual({
        event: { ...eventOf(second), assignedTo: 'zoë', completedBy: 'ada' },
        state: 'pending',
        attempts: 1,
        nextAttemptAt: at(40),
        lastError: null,
        createdAt: second.completedAt,
        deliveredAt: null,
      });
      expect(ids(await queue().claim(at(10), 5, at(40)))).toEqual([third.eventId]);
    });

    it('leaves an event alone until it is due', async () => {
      const event = completed(60);
      await add(event);

      expect(await queue().claim(at(59.999), 10, at(90))).toEqual([]);
      expect(ids(await queue().claim(at(60), 10, at(90)))).toEqual([event.eventId]);
    });

    it('hides a claimed event until its lease lapses, then claims it as another attempt', async () => {
      const event = completed(1);
      await add(event);
      await queue().claim(at(10), 10, at(40));

      expect(await queue().claim(at(39.999), 10, at(70))).toEqual([]);
      const [again] = await queue().claim(at(40), 10, at(70));

      expect(again).toMatchObject({ attempts: 2, nextAttemptAt: at(70), state: 'pending' });
    });

    it('retryLater makes the event due again at the given time, keeping the error', async () => {
      const event = completed(1);
      await add(event);
      await queue().claim(at(10), 10, at(40));

      await queue().retryLater(event.eventId, at(100), 'Lambda invoke failed: ECONNREFUSED');

      expect(await queue().claim(at(99), 10, at(130))).toEqual([]);
      const [retried] = await queue().claim(at(100), 10, at(130));
      expect(retried).toMatchObject({
        attempts: 2,
        lastError: 'Lambda invoke failed: ECONNREFUSED',
        state: 'pending',
      });
    });

    /** An event tried once and due again at 100 s, then a fresh one of 50 s, added after. */
    const retriedThenFresh = async () => {
      const retried = completed(1);
      const fresh = completed(50);
      await add(retried);
      await queue().claim(at(10), 10, at(40));
      await queue().retryLater(retried.eventId, at(100), 'Lambda invoke failed: ECONNREFUSED');
      await add(fresh);
      return { retried, fresh };
    };

    it('claims a retried event by when its retry fell due, after events due longer', async () => {
      const { retried, fresh } = await retriedThenFresh();

      expect(ids(await queue().claim(at(120), 1, at(150)))).toEqual([fresh.eventId]);
      expect(ids(await queue().claim(at(120), 1, at(150)))).toEqual([retried.eventId]);
    });

    it('returns a claim in the order it claims: by when each event fell due', async () => {
      const { retried, fresh } = await retriedThenFresh();

      expect(ids(await queue().claim(at(120), 10, at(150)))).toEqual([
        fresh.eventId,
        retried.eventId,
      ]);
    });

    it('never claims a delivered event again', async () => {
      const event = completed(1);
      await add(event);
      await queue().claim(at(10), 10, at(40));

      await queue().markDelivered([event.eventId], at(11));

      expect(await queue().claim(at(1_000_000), 10, at(1_000_030))).toEqual([]);
      expect(await queue().stats(at(12))).toEqual({
        pending: 0,
        scheduled: 0,
        dead: 0,
        oldestPendingAt: null,
      });
    });

    it('keeps a dead event out of claims and counts it', async () => {
      const event = completed(1);
      await add(event);
      await queue().claim(at(10), 10, at(40));

      await queue().markDead(event.eventId, 'Lambda function error: Unhandled');

      expect(await queue().claim(at(1_000_000), 10, at(1_000_030))).toEqual([]);
      expect(await queue().stats(at(12))).toEqual({
        pending: 0,
        scheduled: 0,
        dead: 1,
        oldestPendingAt: null,
      });
    });

    it('reports the backlog: pending events (claimed ones included), dead ones, the oldest', async () => {
      expect(await queue().stats(at(0))).toEqual({
        pending: 0,
        scheduled: 0,
        dead: 0,
        oldestPendingAt: null,
      });
      const delivered = completed(1);
      const dead = completed(2);
      const claimed = completed(3);
      await add(completed(4), claimed, dead, delivered);
      await queue().claim(at(10), 3, at(40));
      await queue().markDelivered([delivered.eventId], at(11));
      await queue().markDead(dead.eventId, 'gave up');

      expect(await queue().stats(at(12))).toEqual({
        pending: 2,
        scheduled: 0,
        dead: 1,
        oldestPendingAt: claimed.completedAt,
      });
    });

    it('never claims an event whose transaction has not committed', async () => {
      const { promise: added, resolve: announce } = Promise.withResolvers<void>();
      const { promise: abort, reject: rollBack } = Promise.withResolvers<void>();
      const transaction = persistence.uow.run(async (tx) => {
        await tx.outbox.add(completed(1));
        announce();
        await abort;
      });
      await added;

      const claim = queue().claim(at(10), 10, at(40));
      rollBack(new Error('rolled back'));

      await expect(transaction).rejects.toThrow('rolled back');
      expect(await claim).toEqual([]);
      expect(await queue().claim(at(10), 10, at(40))).toEqual([]);
    });

    it('tells listeners after a commit that added events, not after a rollback', async () => {
      const listener = vi.fn();
      const unsubscribe = queue().onAdded(listener);

      await expect(
        persistence.uow.run(async (tx) => {
          await tx.outbox.add(completed(1));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const kept = completed(2);
      await add(kept);

      await vi.waitFor(() => expect(listener).toHaveBeenCalled());
      expect(listener).toHaveBeenCalledTimes(1);
      expect(ids(await queue().claim(at(10), 10, at(40)))).toEqual([kept.eventId]);

      unsubscribe();
      await add(completed(3));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(listener).toHaveBeenCalledTimes(1);
    });

    it('lets a listener claim the events whose commit it announces', async () => {
      const event = completed(1);
      const claimed = new Promise<OutboxEntry[]>((resolve) => {
        const unsubscribe = queue().onAdded(() => {
          unsubscribe();
          resolve(queue().claim(at(10), 10, at(40)));
        });
      });

      await add(event);

      expect(ids(await claimed)).toEqual([event.eventId]);
    });

    /** Gives up on `event`, as the dispatcher does once its attempts are spent. */
    const kill = (event: CompletionRecord, error = 'gave up') =>
      queue().markDead(event.eventId, error);

    it('lists the events of one state oldest first, a page at a time after a key', async () => {
      const events = [completed(3), completed(1), completed(2), completed(4)];
      await add(...events);
      const [third, first, second, fourth] = events as [
        CompletionRecord,
        CompletionRecord,
        CompletionRecord,
        CompletionRecord,
      ];
      await kill(first, 'first failed');
      await kill(fourth);

      const pending = await queue().list({ state: 'pending', limit: 10 });
      expect(ids(pending)).toEqual([second.eventId, third.eventId]);
      const dead = await queue().list({ state: 'dead', limit: 1 });
      expect(dead).toEqual([
        expect.objectContaining({
          event: eventOf(first),
          state: 'dead',
          lastError: 'first failed',
        }),
      ]);
      const after = { createdAt: first.completedAt.toISOString(), eventId: first.eventId };
      expect(ids(await queue().list({ state: 'dead', after, limit: 10 }))).toEqual([
        fourth.eventId,
      ]);
    });

    it('breaks ties of one instant by event id', async () => {
      const events = [completed(1), completed(1), completed(1)];
      await add(...events);
      const byId = events.map((event) => event.eventId).sort();
      const page = await queue().list({ state: 'pending', limit: 2 });
      expect(ids(page)).toEqual(byId.slice(0, 2));
      const last = page[1] as OutboxEntry;
      const after = { createdAt: last.createdAt.toISOString(), eventId: last.event.eventId };
      expect(ids(await queue().list({ state: 'pending', after, limit: 2 }))).toEqual(byId.slice(2));
    });

    it('revives a dead event: pending, due at once, no attempts counted, its error kept', async () => {
      const event = completed(1);
      await add(event);
      await kill(event, 'Lambda invoke failed');
      const woken = vi.fn();
      const unsubscribe = queue().onAdded(woken);

      expect(await queue().revive(event.eventId, at(500))).toBe(true);

      await vi.waitFor(() => expect(woken).toHaveBeenCalled());
      unsubscribe();
      const [claimed] = await queue().claim(at(500), 10, at(560));
      expect(claimed).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: 'Lambda invoke failed',
      });
      expect(await queue().revive(event.eventId, at(600))).toBe(false);
      expect(await queue().revive(randomUUID(), at(600))).toBe(false);
      expect(await queue().revive('not an id', at(600))).toBe(false);
    });

    it('discards only a dead event', async () => {
      const pending = completed(1);
      const dead = completed(2);
      await add(pending, dead);
      await kill(dead);

      expect(await queue().discard(pending.eventId)).toBe(false);
      expect(await queue().discard(dead.eventId)).toBe(true);
      expect(await queue().discard(dead.eventId)).toBe(false);
      expect(await queue().discard('not an id')).toBe(false);
      expect(await queue().stats(at(10))).toMatchObject({ pending: 1, dead: 0 });
    });

    it('purges events delivered before an instant, keeping pending and dead ones', async () => {
      const [old, recent, dead, pending] = [completed(1), completed(2), completed(3), completed(4)];
      await add(old, recent, dead, pending);
      await queue().claim(at(10), 10, at(40));
      await queue().markDelivered([old.eventId], at(20));
      await queue().markDelivered([recent.eventId], at(200));
      await queue().markDead(dead.eventId, 'gave up');
      await queue().retryLater(pending.eventId, at(30), 'later');

      expect(await queue().purgeDelivered(at(100), 10)).toBe(1);
      expect(await queue().purgeDelivered(at(300), 10)).toBe(1);
      expect(await queue().stats(at(300))).toMatchObject({ pending: 1, dead: 1 });
      expect(ids(await queue().claim(at(300), 10, at(400)))).toEqual([pending.eventId]);
    });

    it('never gives one event to two concurrent claims', async () => {
      const events = Array.from({ length: 20 }, (_, i) => completed(i));
      await add(...events);

      const batches = await Promise.all(
        Array.from({ length: 4 }, () => queue().claim(at(100), 8, at(130))),
      );
      const rest = await queue().claim(at(100), 20, at(130));

      const claimed = [...batches.flatMap(ids), ...ids(rest)];
      expect(claimed).toHaveLength(20);
      expect(new Set(claimed)).toEqual(new Set(events.map((event) => event.eventId)));
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(8);
    });

    describe('reminders', () => {
      it('holds a reminder back until its send time, counting it as scheduled', async () => {
        const due = reminder(++taskIds, 3600, 1800);
        await add(due);
        expect(await claimAll(1799)).toEqual([]);
        expect(await queue().stats(at(1799))).toEqual({
          pending: 0,
          scheduled: 1,
          dead: 0,
          oldestPendingAt: null,
        });
        expect(await queue().stats(at(1800))).toMatchObject({ pending: 1, scheduled: 0 });
        const [claimed] = await claimAll(1800);
        expect(claimed).toEqual({
          event: due,
          state: 'pending',
          attempts: 1,
          nextAttemptAt: at(1830),
          lastError: null,
          createdAt: at(1800),
          deliveredAt: null,
        });
      });

      it('keeps one reminder per task and due date', async () => {
        const taskId = ++taskIds;
        const first = reminder(taskId, 3600, 0);
        await add(first);
        await add(reminder(taskId, 3600, 10, { taskTitle: 'Again' }));
        await add(reminder(taskId, 7200, 10));
        await add(reminder(++taskIds, 3600, 0));
        const claimed = await claimAll(100);
        expect(claimed).toHaveLength(3);
        expect(claimed.find((entry) => entry.event.eventId === first.eventId)?.event).toEqual(
          first,
        );
        await queue().markDelivered([first.eventId], at(101));
        await add(reminder(taskId, 3600, 200));
        expect(ids(await claimAll(300))).not.toContain(first.eventId);
        expect(await queue().stats(at(300))).toMatchObject({ pending: 2, scheduled: 0 });
      });

      it('withdraws an unattempted reminder entirely, and cancels one already attempted', async () => {
        const never = reminder(++taskIds, 3600, 1800);
        const tried = reminder(++taskIds, 3600, 0);
        const other = completed(0, { taskId: tried.taskId });
        await add(never, tried, other);
        const [first, second] = await claimAll(0);
        expect(ids([first, second] as OutboxEntry[]).sort()).toEqual(
          [tried.eventId, other.eventId].sort(),
        );
        await queue().markDelivered([other.eventId], at(0));
        await withdraw(never.taskId);
        await withdraw(tried.taskId);

        // The send under way reports back: nothing it says revives the reminder.
        await queue().retryLater(tried.eventId, at(1), 'timed out');
        await queue().markDead(tried.eventId, 'gave up');
        await queue().markDelivered([tried.eventId], at(2));
        expect(await claimAll(5000)).toEqual([]);
        expect(await queue().stats(at(5000))).toMatchObject({ pending: 0, scheduled: 0, dead: 0 });
      });

      it('withdraws only the reminders of the task, and never a completion', async () => {
        const mine = reminder(++taskIds, 3600, 0);
        const theirs = reminder(++taskIds, 3600, 0);
        const completion = completed(0, { taskId: mine.taskId });
        await add(mine, theirs, completion);
        await withdraw(mine.taskId);
        expect(ids(await claimAll(10)).sort()).toEqual([theirs.eventId, completion.eventId].sort());
      });

      it('brings a cancelled reminder back, saying what the new one says, under its own id', async () => {
        const first = reminder(++taskIds, 3600, 0);
        await add(first);
        await claimAll(0);
        await withdraw(first.taskId);
        await add(reminder(first.taskId, 3600, 60, { taskTitle: 'Renamed', assignedTo: 'cy' }));
        expect(await claimAll(59)).toEqual([]);
        const [back] = await claimAll(60);
        expect(back).toMatchObject({
          event: { ...first, taskTitle: 'Renamed', assignedTo: 'cy', sendAt: at(60) },
          state: 'pending',
          attempts: 1,
          createdAt: at(60),
        });
      });

      /** A reminder due to go out at once, claimed and dead-lettered: what staff may retry. */
      const deadLettered = async (due: TaskDue) => {
        await add(due);
        await claimAll(0);
        await queue().markDead(due.eventId, 'gave up');
      };

      it('cancels a dead reminder, so that no staff retry sends it', async () => {
        const gone = reminder(++taskIds, 3600, 0);
        const theirs = reminder(++taskIds, 3600, 0);
        await deadLettered(gone);
        await deadLettered(theirs);
        await withdraw(gone.taskId);

        expect(await queue().revive(gone.eventId, at(100))).toBe(false);
        expect(await queue().discard(gone.eventId)).toBe(false);
        expect(await claimAll(5000)).toEqual([]);
        expect(await queue().list({ state: 'cancelled', limit: 10 })).toEqual([
          expect.objectContaining({ event: gone, attempts: 1, lastError: 'gave up' }),
        ]);
        expect(ids(await queue().list({ state: 'dead', limit: 10 }))).toEqual([theirs.eventId]);
        expect(await queue().stats(at(5000))).toMatchObject({ pending: 0, dead: 1 });
      });

      it('brings a reminder withdrawn once dead back with a fresh count of attempts', async () => {
        const first = reminder(++taskIds, 3600, 0);
        await deadLettered(first);
        await withdraw(first.taskId);
        await add(reminder(first.taskId, 3600, 60, { taskTitle: 'Renamed' }));
        const [back] = await claimAll(60);
        expect(back).toMatchObject({
          event: { ...first, taskTitle: 'Renamed', sendAt: at(60) },
          state: 'pending',
          attempts: 1,
        });
      });

      it('rolls the withdrawal of a dead reminder back with its transaction', async () => {
        const due = reminder(++taskIds, 3600, 0);
        await deadLettered(due);
        await expect(
          persistence.uow.run(async (tx) => {
            await tx.outbox.withdrawReminder(due.taskId);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(await queue().revive(due.eventId, at(100))).toBe(true);
      });

      /** A reminder claimed, then withdrawn mid-send: what the console lists as cancelled. */
      const cancelled = async (due: TaskDue) => {
        await add(due);
        await claimAll(0);
        await withdraw(due.taskId);
      };

      it('lists reminders with what they say, cancelled ones under their own state', async () => {
        const scheduled = reminder(++taskIds, 3600, 1800);
        const dead = reminder(++taskIds, 3600, 0);
        const gone = reminder(++taskIds, 3600, 0);
        await add(scheduled, dead);
        await claimAll(0);
        await queue().markDead(dead.eventId, 'gave up');
        await cancelled(gone);

        expect(await queue().list({ state: 'pending', limit: 10 })).toEqual([
          expect.objectContaining({ event: scheduled, state: 'pending', createdAt: at(1800) }),
        ]);
        expect(await queue().list({ state: 'dead', limit: 10 })).toEqual([
          expect.objectContaining({ event: dead, state: 'dead', lastError: 'gave up' }),
        ]);
        expect(await queue().list({ state: 'cancelled', limit: 10 })).toEqual([
          expect.objectContaining({ event: gone, state: 'cancelled', attempts: 1 }),
        ]);
      });

      it('never revives nor discards a cancelled reminder, as it does a dead one', async () => {
        const gone = reminder(++taskIds, 3600, 0);
        await cancelled(gone);
        expect(await queue().revive(gone.eventId, at(100))).toBe(false);
        expect(await queue().discard(gone.eventId)).toBe(false);
        expect(await claimAll(5000)).toEqual([]);
        expect(ids(await queue().list({ state: 'cancelled', limit: 10 }))).toEqual([gone.eventId]);

        const dead = reminder(++taskIds, 3600, 0);
        await add(dead);
        await claimAll(0);
        await queue().markDead(dead.eventId, 'gave up');
        expect(await queue().revive(dead.eventId, at(100))).toBe(true);
        const [revived] = await claimAll(100);
        expect(revived).toMatchObject({ event: dead, attempts: 1, lastError: 'gave up' });
        await queue().markDead(dead.eventId, 'gave up again');
        expect(await queue().discard(dead.eventId)).toBe(true);
        expect(await queue().list({ state: 'dead', limit: 10 })).toEqual([]);
      });

      it('rolls a withdrawal back with its transaction', async () => {
        const due = reminder(++taskIds, 3600, 0);
        await add(due);
        await expect(
          persistence.uow.run(async (tx) => {
            await tx.outbox.withdrawReminder(due.taskId);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(ids(await claimAll(0))).toEqual([due.eventId]);
      });
    });

    it('names the users as they are when the event is added, whoever is gone since', async () => {
      const gone = completed(1, { assigneeId: 999_999, completerId: 999_998 });
      const named = completed(2, { assigneeId: zoe, completerId: zoe });
      await add(gone, named);

      const [first, second] = await queue().claim(at(10), 10, at(40));

      expect(first?.event).toEqual({
        ...eventOf(gone),
        assignedTo: 'Unassigned',
        completedBy: 'user 999998',
      });
      expect(second?.event).toMatchObject({ assignedTo: 'zoë', completedBy: 'zoë' });
    });

    it('marks a batch of events delivered in one call, and no others', async () => {
      const events = [completed(1), completed(2), completed(3)];
      await add(...events);
      await queue().claim(at(10), 10, at(40));

      await queue().markDelivered(
        events.slice(0, 2).map((event) => event.eventId),
        at(11),
      );
      await queue().markDelivered([], at(12));

      expect(await queue().stats(at(12))).toEqual({
        pending: 1,
        scheduled: 0,
        dead: 0,
        oldestPendingAt: events[2]?.completedAt,
      });
      expect(await queue().purgeDelivered(at(11.001), 10)).toBe(2);
      expect(ids(await queue().claim(at(40), 10, at(70)))).toEqual([events[2]?.eventId]);
    });
  });
}
