import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  TASK_ORDER_FIELDS,
  type TaskOrdering,
  type TaskQuery,
} from '../../src/application/ports/tasks.ts';
import { taskKey } from '../../src/application/tasks/list-tasks.ts';
import type { HistoryAction, HistoryRecord } from '../../src/domain/history.ts';
import { PRIORITIES } from '../../src/domain/priority.ts';
import type { Task, TaskDraft } from '../../src/domain/task.ts';
import { completionRecord } from '../../src/domain/task-completed.ts';
import { compareCodePoints } from '../../src/domain/text.ts';
import type { Actor } from '../../src/domain/user.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

export function taskDraft(createdBy: number, overrides: Partial<TaskDraft> = {}): TaskDraft {
  return {
    title: 'Write docs',
    description: '',
    status: 'pending',
    assignedTo: null,
    projectId: null,
    createdBy,
    createdAt: at(0),
    updatedAt: at(0),
    completedAt: null,
    version: 1,
    dueAt: null,
    priority: 'none',
    labels: [],
    ...overrides,
  };
}

/** A history entry by `actorId`, for the writes of suites that look at tasks, not history. */
export function entryBy(actorId: number, action: HistoryAction = 'updated'): HistoryRecord {
  return { actorId, at: at(0), action, changes: {} };
}

const ids = (tasks: Task[]) => tasks.map((task) => task.id);

/** The order a list must come in: by the ordering's key, then by id, in its direction. */
function sorted(tasks: Task[], ordering: TaskOrdering): Task[] {
  const direction = ordering.descending ? -1 : 1;
  return [...tasks].sort((a, b) => {
    const left = taskKey(a, ordering.field).value;
    const right = taskKey(b, ordering.field).value;
    const byKey =
      typeof left === 'number' && typeof right === 'number'
        ? left - right
        : compareCodePoints(String(left), String(right));
    return direction * (byKey || a.id - b.id);
  });
}

const ORDERINGS: TaskOrdering[] = TASK_ORDER_FIELDS.flatMap((field) => [
  { field, descending: false },
  { field, descending: true },
]);

/** The TaskRepository port, as every persistence adapter must honour it. */
export function tasksContract(name: string, make: MakePersistence): void {
  describe(`TaskRepository: ${name}`, () => {
    let persistence: Persistence;
    let ada: Actor;
    let bob: Actor;
    const staff: Actor = { id: 0, isStaff: true };
    beforeEach(async () => {
      persistence = await make();
      ada = (await persistence.users.add(userDraft('ada'))).actor;
      bob = (await persistence.users.add(userDraft('bob'))).actor;
    });
    afterEach(() => persistence.close());
    const tasks = () => persistence.tasks;
    const list = (query: Partial<TaskQuery> & Pick<TaskQuery, 'viewer'>) =>
      tasks().list({ ordering: { field: 'id', descending: false }, limit: 100, ...query });

    it('stores a task and reads it back with every field', async () => {
      const draft = taskDraft(ada.id, {
        title: 'Café ☕ "menu" \\ 100%',
        description: 'Line one\nline two',
        status: 'completed',
        assignedTo: bob.id,
        updatedAt: at(5),
        completedAt: at(5),
        version: 3,
      });
      const added = await tasks().add(draft, entryBy(ada.id));

      expect(added).toEqual({ ...draft, id: expect.any(Number) });
      expect(await tasks().byId(added.id)).toEqual(added);
      expect(await tasks().byIdForUpdate(added.id)).toEqual(added);
      expect(await tasks().byId(added.id + 1000)).toBeNull();
    });

    it('stores due dates, priorities and labels, quotes and backslashes included', async () => {
      const draft = taskDraft(ada.id, {
        dueAt: new Date('9999-12-31T23:59:59.999Z'),
        priority: 'urgent',
        labels: ['a "quoted" label', 'back\\slash', '{braces}', 'NULL', 'ü'],
      });
      const added = await tasks().add(draft, entryBy(ada.id));
      expect(await tasks().byId(added.id)).toEqual(added);
      const { history } = added.change({ dueAt: null, priority: 'low', labels: [] }, ada, at(1));
      expect(await tasks().update(added, 1, history ?? entryBy(ada.id))).toBe(true);
      expect(await tasks().byId(added.id)).toMatchObject({
        dueAt: null,
        priority: 'low',
        labels: [],
      });
    });

    it('filters by due date, priority and labels (each key asked for)', async () => {
      const early = await tasks().add(
        taskDraft(ada.id, { dueAt: at(10), priority: 'high', labels: ['Bug', 'ui'] }),
        entryBy(ada.id),
      );
      const late = await tasks().add(
        taskDraft(ada.id, { dueAt: at(20), labels: ['bug'] }),
        entryBy(ada.id),
      );
      const undated = await tasks().add(
        taskDraft(ada.id, { priority: 'high', labels: ['UI'] }),
        entryBy(ada.id),
      );
      expect(ids(await list({ viewer: ada, dueBefore: at(20) }))).toEqual([early.id]);
      expect(ids(await list({ viewer: ada, dueAfter: at(10) }))).toEqual([late.id]);
      expect(ids(await list({ viewer: ada, dueAfter: at(0), dueBefore: at(30) }))).toEqual([
        early.id,
        late.id,
      ]);
      expect(ids(await list({ viewer: ada, priority: 'high' }))).toEqual([early.id, undated.id]);
      expect(ids(await list({ viewer: staff, labelKeys: ['bug'] }))).toEqual([early.id, late.id]);
      expect(ids(await list({ viewer: bob, labelKeys: ['bug'] }))).toEqual([]);
      expect(ids(await list({ viewer: ada, labelKeys: ['bug', 'ui'] }))).toEqual([early.id]);
    });

    it('counts every task', async () => {
      expect(await tasks().count()).toBe(0);
      await tasks().add(taskDraft(ada.id), entryBy(ada.id));
      await tasks().add(taskDraft(bob.id), entryBy(bob.id));
      expect(await tasks().count()).toBe(2);
    });

    it('updates only when the stored version is the expected one', async () => {
      const task = await tasks().add(taskDraft(ada.id), entryBy(ada.id));
      const stale = (await tasks().byId(task.id)) as Task;
      task.change({ title: 'Renamed', status: 'completed' }, ada, at(10));

      expect(await tasks().update(task, 1, entryBy(ada.id))).toBe(true);
      expect(await tasks().byId(task.id)).toEqual(task);

      stale.change({ title: 'Lost update' }, ada, at(20));
      expect(await tasks().update(stale, 1, entryBy(ada.id))).toBe(false);
      expect((await tasks().byId(task.id))?.title).toBe('Renamed');
    });

    it('records a completion with the update that stores it, and none with a stale one', async () => {
      const task = await tasks().add(taskDraft(ada.id, { assignedTo: bob.id }), entryBy(ada.id));
      const stale = (await tasks().byId(task.id)) as Task;
      const announced = vi.fn();
      const unsubscribe = persistence.queue.onAdded(announced);
      task.change({ status: 'completed' }, ada, at(10));

      expect(
        await tasks().update(
          task,
          1,
          entryBy(ada.id),
          completionRecord(task, ada.id, randomUUID()),
        ),
      ).toBe(true);
      stale.change({ status: 'completed', title: 'Lost update' }, ada, at(20));
      expect(
        await tasks().update(
          stale,
          1,
          entryBy(ada.id),
          completionRecord(stale, ada.id, randomUUID()),
        ),
      ).toBe(false);

      const claimed = await persistence.queue.claim(at(1_000), 10, at(2_000));
      expect(claimed.map((entry) => entry.event)).toEqual([
        expect.objectContaining({ taskId: task.id, assignedTo: 'bob', completedBy: 'ada' }),
      ]);
      await vi.waitFor(() => expect(announced).toHaveBeenCalled());
      unsubscribe();
    });

    it('withdraws the unsent reminder with the update that stores it (a completion too), not with a stale one', async () => {
      const dueAt = at(3_600);
      const remind = (task: Task) =>
        persistence.uow.run((tx) =>
          tx.outbox.add({
            type: 'task.due',
            eventId: randomUUID(),
            taskId: task.id,
            taskTitle: task.title,
            assignedTo: 'bob',
            dueAt,
            sendAt: at(0),
          }),
        );
      const task = await tasks().add(
        taskDraft(ada.id, { assignedTo: bob.id, dueAt }),
        entryBy(ada.id),
      );
      await remind(task);
      task.change({ status: 'completed' }, ada, at(10));
      const completion = completionRecord(task, ada.id, randomUUID());
      expect(await tasks().update(task, 1, entryBy(ada.id), completion, true)).toBe(true);
      expect(
        (await persistence.queue.claim(at(1_000), 10, at(2_000))).map((entry) => entry.event),
      ).toEqual([expect.objectContaining({ type: 'task.completed', taskId: task.id })]);

      // A stale update leaves the reminder where it was.
      const next = await tasks().add(
        taskDraft(ada.id, { assignedTo: bob.id, dueAt }),
        entryBy(ada.id),
      );
      await remind(next);
      next.change({ title: 'Lost update' }, ada, at(20));
      expect(await tasks().update(next, 2, entryBy(ada.id), undefined, true)).toBe(false);
      const claimed = await persistence.queue.claim(at(1_000), 10, at(2_000));
      expect(claimed.map((entry) => entry.event)).toEqual([
        expect.objectContaining({ type: 'task.due', taskId: next.id }),
      ]);
    });

    it('lets exactly one of concurrent updates from one version win', async () => {
      const { id } = await tasks().add(taskDraft(ada.id), entryBy(ada.id));
      const copies = await Promise.all([1, 2, 3, 4].map(() => tasks().byId(id)));

      const results = await Promise.all(
        copies.map((copy, i) => {
          copy?.change({ title: `Writer ${i}` }, ada, at(i + 1));
          return tasks().update(copy as Task, 1, entryBy(ada.id));
        }),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await tasks().byId(id))?.version).toBe(2);
    });

    it('deletes only when the stored version is the expected one', async () => {
      const task = await tasks().add(taskDraft(ada.id, { version: 2 }), entryBy(ada.id));

      expect(await tasks().remove(task.id, 1)).toBe(false);
      expect(await tasks().byId(task.id)).not.toBeNull();
      expect(await tasks().remove(task.id, 2)).toBe(true);
      expect(await tasks().byId(task.id)).toBeNull();
      expect(await tasks().remove(task.id, 2)).toBe(false);
    });

    it('shows staff every task and anyone else what they created or are assigned', async () => {
      const carol = (await persistence.users.add(userDraft('carol'))).actor;
      const own = await tasks().add(taskDraft(ada.id), entryBy(ada.id));
      const assigned = await tasks().add(
        taskDraft(bob.id, { assignedTo: ada.id }),
        entryBy(ada.id),
      );
      const others = await tasks().add(
        taskDraft(bob.id, { assignedTo: carol.id }),
        entryBy(ada.id),
      );

      expect(ids(await list({ viewer: ada }))).toEqual([own.id, assigned.id]);
      expect(ids(await list({ viewer: carol }))).toEqual([others.id]);
      expect(ids(await list({ viewer: staff }))).toEqual([own.id, assigned.id, others.id]);
    });

    it('filters by status, assignee, creator and text, together', async () => {
      const pending = await tasks().add(
        taskDraft(ada.id, { title: 'Pay the RENT' }),
        entryBy(ada.id),
      );
      const done = await tasks().add(
        taskDraft(ada.id, { status: 'completed', completedAt: at(0), assignedTo: bob.id }),
        entryBy(ada.id),
      );
      const bobs = await tasks().add(
        taskDraft(bob.id, { description: 'Ask about the rent', assignedTo: bob.id }),
        entryBy(ada.id),
      );

      expect(ids(await list({ viewer: staff, status: 'pending' }))).toEqual([pending.id, bobs.id]);
      expect(ids(await list({ viewer: staff, status: 'completed' }))).toEqual([done.id]);
      expect(ids(await list({ viewer: staff, assignedTo: bob.id }))).toEqual([done.id, bobs.id]);
      expect(ids(await list({ viewer: staff, assignedTo: null }))).toEqual([pending.id]);
      expect(ids(await list({ viewer: staff, createdBy: ada.id }))).toEqual([pending.id, done.id]);
      expect(ids(await list({ viewer: staff, search: 'rEnT' }))).toEqual([pending.id, bobs.id]);
      expect(
        ids(await list({ viewer: staff, search: 'rent', status: 'pending', createdBy: bob.id })),
      ).toEqual([bobs.id]);
      expect(ids(await list({ viewer: ada, assignedTo: bob.id }))).toEqual([done.id]);
    });

    it('searches text literally, in any script and letter case', async () => {
      const sale = await tasks().add(
        taskDraft(ada.id, { title: '50% off_today' }),
        entryBy(ada.id),
      );
      await tasks().add(taskDraft(ada.id, { title: '500 off today' }), entryBy(ada.id));
      const summer = await tasks().add(
        taskDraft(ada.id, { description: 'Plan the ÉTÉ trip' }),
        entryBy(ada.id),
      );

      expect(ids(await list({ viewer: staff, search: '0% off_' }))).toEqual([sale.id]);
      expect(ids(await list({ viewer: staff, search: 'été' }))).toEqual([summer.id]);
      expect(ids(await list({ viewer: staff, search: '\\' }))).toEqual([]);
    });

    describe('orders and pages every ordering, both ways', () => {
      const titles = ['banana', 'Banana', 'apple', 'Äpfel', 'zebra', 'apple', '😀 emoji', 'Zebra'];
      let all: Task[];
      beforeEach(async () => {
        all = [];
        for (const [i, title] of titles.entries()) {
          // Several rows share a timestamp, so ties must be broken by id.
          const created = at(Math.floor(i / 2));
          const updated = at(100 - (i % 3));
          // Undated tasks and shared due dates and priorities: ties and 'infinity' on pages.
          const dueAt = i % 3 === 0 ? null : at(i % 2);
          const priority = PRIORITIES[i % 3];
          all.push(
            await tasks().add(
              taskDraft(ada.id, { title, createdAt: created, updatedAt: updated, dueAt, priority }),
              entryBy(ada.id),
            ),
          );
        }
      });

      for (const ordering of ORDERINGS) {
        const label = `${ordering.descending ? '-' : ''}${ordering.field}`;

        it(`lists by ${label}`, async () => {
          expect(ids(await list({ viewer: staff, ordering }))).toEqual(ids(sorted(all, ordering)));
        });

        it(`pages by ${label} with no gap or repeat while rows are inserted`, async () => {
          const seen: Task[] = [];
          let after: TaskQuery['after'];
          for (let page = 0; page < 20; page++) {
            const rows = await list({ viewer: staff, ordering, after, limit: 3 });
            seen.push(...rows);
            const last = rows.at(-1);
            if (!last) break;
            after = taskKey(last, ordering.field);
            // New rows land on both sides of the cursor; the ones after it may show up later.
            await tasks().add(
              taskDraft(ada.id, { title: 'apple', createdAt: at(page), priority: 'none' }),
              entryBy(ada.id),
            );
            await tasks().add(
              taskDraft(ada.id, {
                title: '~late',
                createdAt: at(1000 + page),
                dueAt: page % 2 ? null : at(1000 + page),
                priority: 'urgent',
              }),
              entryBy(ada.id),
            );
          }

          const seenIds = ids(seen);
          expect(new Set(seenIds).size).toBe(seenIds.length);
          expect(seenIds).toEqual(expect.arrayContaining(ids(all)));
          expect(ids(sorted(seen, ordering))).toEqual(seenIds);
        });
      }
    });
  });
}
