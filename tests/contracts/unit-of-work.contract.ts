import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/domain/task.ts';
import { completionRecord } from '../../src/domain/task-completed.ts';
import type { Actor } from '../../src/domain/user.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { entryBy, taskDraft } from './tasks.contract.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const FAR_FUTURE = new Date('2100-01-01T00:00:00.000Z');

/** The UnitOfWork port with the outbox: what a transaction writes commits together or not at all. */
export function unitOfWorkContract(name: string, make: MakePersistence): void {
  describe(`UnitOfWork and Outbox: ${name}`, () => {
    let persistence: Persistence;
    let ada: Actor;
    beforeEach(async () => {
      persistence = await make();
      ada = (await persistence.users.add(userDraft('ada'))).actor;
    });
    afterEach(() => persistence.close());
    const completion = (task: Task) => completionRecord(task, ada.id, randomUUID());
    const events = async () =>
      (await persistence.queue.claim(FAR_FUTURE, 100, FAR_FUTURE)).map((entry) => entry.event);

    it('commits a task change and its completion event together', async () => {
      const added = await persistence.uow.run(async (tx) => {
        const task = await tx.tasks.add(
          taskDraft(ada.id, { status: 'completed', completedAt: at(1) }),
          entryBy(ada.id),
        );
        await tx.outbox.add(completion(task));
        return task;
      });

      expect(await persistence.tasks.byId(added.id)).toEqual(added);
      expect(await events()).toEqual([expect.objectContaining({ taskId: added.id })]);
    });

    it('rolls a task change and its completion event back together', async () => {
      const task = await persistence.tasks.add(taskDraft(ada.id), entryBy(ada.id));

      await expect(
        persistence.uow.run(async (tx) => {
          const current = (await tx.tasks.byIdForUpdate(task.id)) as Task;
          current.change({ status: 'completed' }, ada, at(5));
          await tx.tasks.update(current, 1, entryBy(ada.id));
          await tx.outbox.add(completion(current));
          await tx.tasks.add(taskDraft(ada.id, { title: 'Created in vain' }), entryBy(ada.id));
          throw new Error('the request failed after writing');
        }),
      ).rejects.toThrow('the request failed after writing');

      expect(await persistence.tasks.byId(task.id)).toEqual(task);
      expect(await events()).toEqual([]);
      const listed = await persistence.tasks.list({
        viewer: ada,
        ordering: { field: 'id', descending: false },
        limit: 10,
      });
      expect(listed.map((t) => t.title)).toEqual(['Write docs']);
    });

    it('makes a second byIdForUpdate wait until the first transaction commits', async () => {
      const task = await persistence.tasks.add(taskDraft(ada.id), entryBy(ada.id));
      const log: string[] = [];
      const { promise: locked, resolve: announceLocked } = Promise.withResolvers<void>();
      const { promise: proceed, resolve: letGo } = Promise.withResolvers<void>();

      const first = persistence.uow.run(async (tx) => {
        const current = (await tx.tasks.byIdForUpdate(task.id)) as Task;
        announceLocked();
        await proceed;
        current.change({ title: 'First' }, ada, at(1));
        await tx.tasks.update(current, 1, entryBy(ada.id));
        log.push('first wrote version 2');
      });
      await locked;
      const second = persistence.uow.run(async (tx) => {
        const current = await tx.tasks.byIdForUpdate(task.id);
        log.push(`second read version ${current?.version}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      log.push('first let go');
      letGo();
      await Promise.all([first, second]);

      expect(log).toEqual(['first let go', 'first wrote version 2', 'second read version 2']);
    });

    it('lets exactly one of concurrent version-checked updates in transactions win', async () => {
      const task = await persistence.tasks.add(taskDraft(ada.id), entryBy(ada.id));

      const results = await Promise.all(
        ['A', 'B', 'C'].map((writer) =>
          persistence.uow.run(async (tx) => {
            // A plain read: both see version 1, and only the version check can stop a lost update.
            const current = (await tx.tasks.byId(task.id)) as Task;
            current.change({ title: writer }, ada, at(1));
            return tx.tasks.update(current, 1, entryBy(ada.id));
          }),
        ),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await persistence.tasks.byId(task.id))?.version).toBe(2);
    });

    it('returns what the work returns', async () => {
      expect(await persistence.uow.run(async () => 42)).toBe(42);
    });
  });
}
