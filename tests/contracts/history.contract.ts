import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/domain/history.ts';
import type { Task } from '../../src/domain/task.ts';
import type { Actor } from '../../src/domain/user.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { entryBy, taskDraft } from './tasks.contract.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/**
 * The HistoryRepository port, and the history entries the task and comment writes store with
 * them, as every persistence adapter must honour them.
 */
export function historyContract(name: string, make: MakePersistence): void {
  describe(`HistoryRepository: ${name}`, () => {
    let persistence: Persistence;
    let ada: Actor;
    let bob: Actor;
    beforeEach(async () => {
      persistence = await make();
      ada = (await persistence.users.add(userDraft('ada'))).actor;
      bob = (await persistence.users.add(userDraft('bob'))).actor;
    });
    afterEach(() => persistence.close());
    const history = (taskId: number, page: { beforeId?: number; limit?: number } = {}) =>
      persistence.history.list(taskId, { limit: 100, ...page });
    const created: HistoryRecord = {
      actorId: 0,
      at: at(0),
      action: 'created',
      changes: {
        title: [null, 'Café ☕ "menu" \\ 100%'],
        assigned_to: [null, 2],
        labels: [null, ['a', 'b']],
        done: [null, true],
      },
    };
    const addTask = () =>
      persistence.tasks.add(taskDraft(ada.id, { assignedTo: bob.id }), {
        ...created,
        actorId: ada.id,
      });

    it('stores the entry of a new task with it, and reads it back with its actor', async () => {
      const task = await addTask();

      expect(await history(task.id)).toEqual([
        {
          entry: { ...created, actorId: ada.id, id: expect.any(Number), taskId: task.id },
          actor: { id: ada.id, username: 'ada' },
        },
      ]);
    });

    it('stores the entry of an update only when the update is stored', async () => {
      const task = await addTask();
      const stale = (await persistence.tasks.byId(task.id)) as Task;
      const outcome = task.change({ status: 'completed' }, bob, at(5));
      expect(await persistence.tasks.update(task, 1, outcome.history as HistoryRecord)).toBe(true);
      stale.change({ title: 'Lost' }, ada, at(6));
      expect(await persistence.tasks.update(stale, 1, entryBy(ada.id))).toBe(false);

      const [latest, first] = await history(task.id);
      expect(latest).toEqual({
        entry: {
          id: expect.any(Number),
          taskId: task.id,
          actorId: bob.id,
          at: at(5),
          action: 'completed',
          changes: { status: ['pending', 'completed'] },
        },
        actor: { id: bob.id, username: 'bob' },
      });
      expect(first?.entry.action).toBe('created');
      expect(await history(task.id)).toHaveLength(2);
    });

    it('refuses an update whose actor no longer exists, storing neither', async () => {
      const task = await addTask();
      task.change({ title: 'Renamed' }, ada, at(1));
      await expect(
        persistence.tasks.update(task, 1, { ...entryBy(ada.id), actorId: 9999 }),
      ).rejects.toMatchObject({ code: 'invalid_token' });
      expect((await persistence.tasks.byId(task.id))?.version).toBe(1);
      expect(await history(task.id)).toHaveLength(1);
    });

    it('pages newest first before an id, each task its own', async () => {
      const task = await addTask();
      const other = await addTask();
      for (let version = 1; version <= 4; version++) {
        task.change({ title: `v${version + 1}` }, ada, at(version));
        await persistence.tasks.update(task, version, entryBy(ada.id));
      }
      const all = await history(task.id);
      expect(all.map(({ entry }) => entry.action)).toEqual([
        'updated',
        'updated',
        'updated',
        'updated',
        'created',
      ]);
      const ids = all.map(({ entry }) => entry.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(await history(task.id, { limit: 2 })).toEqual(all.slice(0, 2));
      expect(await history(task.id, { beforeId: ids[1], limit: 2 })).toEqual(all.slice(2, 4));
      expect(await history(task.id, { beforeId: ids[4] })).toEqual([]);
      expect(await history(other.id)).toHaveLength(1);
    });

    it('goes with its task, and rolls back with the unit of work', async () => {
      const task = await addTask();
      await expect(
        persistence.uow.run(async (tx) => {
          const current = (await tx.tasks.byIdForUpdate(task.id)) as Task;
          current.change({ title: 'In vain' }, ada, at(1));
          await tx.tasks.update(current, 1, entryBy(ada.id));
          await tx.tasks.add(taskDraft(ada.id), entryBy(ada.id, 'created'));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await history(task.id)).toHaveLength(1);
      expect(await history(task.id + 1)).toEqual([]);

      expect(await persistence.tasks.remove(task.id, 1)).toBe(true);
      expect(await history(task.id)).toEqual([]);
    });
  });
}
