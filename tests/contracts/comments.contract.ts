import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Comment, type CommentDraft } from '../../src/domain/comment.ts';
import type { Task } from '../../src/domain/task.ts';
import type { Actor } from '../../src/domain/user.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { entryBy, taskDraft } from './tasks.contract.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** The CommentRepository port, as every persistence adapter must honour it. */
export function commentsContract(name: string, make: MakePersistence): void {
  describe(`CommentRepository: ${name}`, () => {
    let persistence: Persistence;
    let ada: Actor;
    let bob: Actor;
    let task: Task;
    beforeEach(async () => {
      persistence = await make();
      ada = (await persistence.users.add(userDraft('ada'))).actor;
      bob = (await persistence.users.add(userDraft('bob'))).actor;
      task = await persistence.tasks.add(taskDraft(ada.id), entryBy(ada.id, 'created'));
    });
    afterEach(() => persistence.close());
    const comments = () => persistence.comments;
    const draft = (overrides: Partial<CommentDraft> = {}): CommentDraft => ({
      taskId: task.id,
      authorId: bob.id,
      body: 'Which format? “PDF” or \\ HTML, 100%',
      createdAt: at(1),
      updatedAt: at(1),
      version: 1,
      ...overrides,
    });
    const add = (overrides: Partial<CommentDraft> = {}) =>
      comments().add(draft(overrides), entryBy(overrides.authorId ?? bob.id, 'commented'));

    it('stores a comment and reads it back with its author', async () => {
      const added = await add();
      const expected = {
        comment: { ...draft(), id: expect.any(Number) },
        author: { id: bob.id, username: 'bob' },
      };

      expect(added).toEqual(expected);
      expect(added.comment).toBeInstanceOf(Comment);
      expect(await comments().byId(task.id, added.comment.id)).toEqual(added);
      expect(await comments().list(task.id, { limit: 10 })).toEqual([added]);
    });

    it('finds a comment only under its own task', async () => {
      const other = await persistence.tasks.add(taskDraft(ada.id), entryBy(ada.id, 'created'));
      const { comment } = await add();

      expect(await comments().byId(other.id, comment.id)).toBeNull();
      expect(await comments().byId(task.id, comment.id + 1000)).toBeNull();
      expect(await comments().list(other.id, { limit: 10 })).toEqual([]);
    });

    it('updates and deletes only when the stored version is the expected one', async () => {
      const { comment } = await add();
      const stale = (await comments().byId(task.id, comment.id))?.comment as Comment;
      comment.edit('Edited', bob, at(2));

      expect(await comments().update(comment, 1)).toBe(true);
      expect((await comments().byId(task.id, comment.id))?.comment).toEqual(comment);
      stale.edit('Lost edit', bob, at(3));
      expect(await comments().update(stale, 1)).toBe(false);
      expect(await comments().remove(comment.id, 1)).toBe(false);
      expect(await comments().remove(comment.id, 2)).toBe(true);
      expect(await comments().byId(task.id, comment.id)).toBeNull();
    });

    it('pages oldest first after an id', async () => {
      const added = [];
      for (let i = 0; i < 5; i++)
        added.push(await add({ body: `c${i}`, authorId: i % 2 ? ada.id : bob.id }));

      expect(await comments().list(task.id, { limit: 2 })).toEqual(added.slice(0, 2));
      expect(await comments().list(task.id, { afterId: added[1]?.comment.id, limit: 2 })).toEqual(
        added.slice(2, 4),
      );
      expect(await comments().list(task.id, { afterId: added[4]?.comment.id, limit: 2 })).toEqual(
        [],
      );
    });

    it('refuses an author who no longer exists, storing nothing', async () => {
      await expect(add({ authorId: 9999 })).rejects.toMatchObject({ code: 'invalid_token' });
      expect(await comments().list(task.id, { limit: 10 })).toEqual([]);
      expect(await persistence.history.list(task.id, { limit: 10 })).toHaveLength(1);
    });

    it('goes with its task', async () => {
      const { comment } = await add();
      expect(await persistence.tasks.remove(task.id, 1)).toBe(true);
      expect(await comments().byId(task.id, comment.id)).toBeNull();
    });

    it('rolls back with the unit of work, its history entry too', async () => {
      await expect(
        persistence.uow.run(async (tx) => {
          await tx.comments.add(draft(), entryBy(bob.id, 'commented'));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await comments().list(task.id, { limit: 10 })).toEqual([]);
      expect(await persistence.history.list(task.id, { limit: 10 })).toHaveLength(1);
    });
  });
}
