import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../../src/application/ports/outbox-queue.ts';
import {
  type CompletionRecord,
  type TaskCompleted,
  taskCompleted,
} from '../../src/domain/task-completed.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
/** An instant `seconds` after the suite's epoch. */
const at = (seconds: number) => new Date(T0 + seconds * 1000);

let taskIds = 0;

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
    const add = (...events: CompletionRecord[]) =>
      persistence.uow.run(async (tx) => {
        for (const event of events) await tx.outbox.add(event);
      });

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

    it('never claims a delivered event again', async () => {
      const event = completed(1);
      await add(event);
      await queue().claim(at(10), 10, at(40));

      await queue().markDelivered([event.eventId], at(11));

      expect(await queue().claim(at(1_000_000), 10, at(1_000_030))).toEqual([]);
      expect(await queue().stats(at(12))).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
    });

    it('keeps a dead event out of claims and counts it', async () => {
      const event = completed(1);
      await add(event);
      await queue().claim(at(10), 10, at(40));

      await queue().markDead(event.eventId, 'Lambda function error: Unhandled');

      expect(await queue().claim(at(1_000_000), 10, at(1_000_030))).toEqual([]);
      expect(await queue().stats(at(12))).toEqual({ pending: 0, dead: 1, oldestPendingAt: null });
    });

    it('reports the backlog: pending events (claimed ones included), dead ones, the oldest', async () => {
      expect(await queue().stats(at(0))).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
      const delivered = completed(1);
      const dead = completed(2);
      const claimed = completed(3);
      await add(completed(4), claimed, dead, delivered);
      await queue().claim(at(10), 3, at(40));
      await queue().markDelivered([delivered.eventId], at(11));
      await queue().markDead(dead.eventId, 'gave up');

      expect(await queue().stats(at(12))).toEqual({
        pending: 2,
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
        dead: 0,
        oldestPendingAt: events[2]?.completedAt,
      });
      expect(await queue().purgeDelivered(at(11.001), 10)).toBe(2);
      expect(ids(await queue().claim(at(40), 10, at(70)))).toEqual([events[2]?.eventId]);
    });
  });
}
