import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TASK_ORDER_FIELDS, type TaskQuery } from '../../src/application/ports/tasks.ts';
import { taskKey } from '../../src/application/tasks/list-tasks.ts';
import { draftProject, type Project } from '../../src/domain/project.ts';
import type { Task } from '../../src/domain/task.ts';
import { compareCodePoints } from '../../src/domain/text.ts';
import type { Actor } from '../../src/domain/user.ts';
import type { MakePersistence, Persistence } from './persistence.ts';
import { entryBy, taskDraft } from './tasks.contract.ts';
import { userDraft } from './users.contract.ts';

const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const ids = (rows: { id: number }[]) => rows.map((row) => row.id);

/** The ProjectRepository and MembershipRepository ports, and the task list over projects. */
export function projectsContract(name: string, make: MakePersistence): void {
  describe(`ProjectRepository and MembershipRepository: ${name}`, () => {
    let persistence: Persistence;
    let ada: Actor;
    let bob: Actor;
    let carol: Actor;
    const staff: Actor = { id: 0, isStaff: true };
    beforeEach(async () => {
      persistence = await make();
      // One after another, so that their ids come in this order.
      ada = (await persistence.users.add(userDraft('ada'))).actor;
      bob = (await persistence.users.add(userDraft('bob'))).actor;
      carol = (await persistence.users.add(userDraft('carol'))).actor;
    });
    afterEach(() => persistence.close());

    /** A project owned by `owner`, with its owner's membership, as the use case writes them. */
    const project = async (owner: Actor, name = 'Site', seconds = 0): Promise<Project> => {
      const added = await persistence.projects.add(draftProject({ name }, owner, at(seconds)));
      await persistence.memberships.put({
        projectId: added.id,
        userId: owner.id,
        role: 'owner',
        addedAt: at(seconds),
      });
      return added;
    };
    const join = (projectId: number, who: Actor, role: 'editor' | 'viewer' | 'owner', s = 1) =>
      persistence.memberships.put({ projectId, userId: who.id, role, addedAt: at(s) });

    it('reads a task with the reader’s role in its project, in one call', async () => {
      const site = await project(ada);
      await join(site.id, bob, 'viewer');
      const inSite = await persistence.tasks.add(
        taskDraft(ada.id, { projectId: site.id }),
        entryBy(ada.id, 'created'),
      );
      const loose = await persistence.tasks.add(taskDraft(ada.id), entryBy(ada.id, 'created'));

      expect(await persistence.tasks.byIdWithRole(inSite.id, ada.id)).toEqual({
        task: inSite,
        role: 'owner',
      });
      expect((await persistence.tasks.byIdWithRole(inSite.id, bob.id))?.role).toBe('viewer');
      expect((await persistence.tasks.byIdWithRole(inSite.id, carol.id))?.role).toBeNull();
      expect(await persistence.tasks.byIdWithRole(loose.id, ada.id)).toEqual({
        task: loose,
        role: null,
      });
      expect(await persistence.tasks.byIdWithRole(loose.id + 100, ada.id)).toBeNull();
    });

    it('stores a project and reads it back with its owner and the reader’s role', async () => {
      const added = await project(ada, 'Café ☕ "menu" \\ 100%');
      await join(added.id, bob, 'viewer');
      expect(added).toMatchObject({ name: 'Café ☕ "menu" \\ 100%', ownerId: ada.id, version: 1 });

      const owner = { id: ada.id, username: 'ada' };
      expect(await persistence.projects.find(added.id, ada.id)).toEqual({
        project: added,
        owner,
        role: 'owner',
      });
      expect((await persistence.projects.find(added.id, bob.id))?.role).toBe('viewer');
      expect((await persistence.projects.find(added.id, carol.id))?.role).toBeNull();
      expect(await persistence.projects.find(added.id + 100, ada.id)).toBeNull();
    });

    it('updates and deletes only when the stored version is the expected one', async () => {
      const added = await project(ada);
      const stale = (await persistence.projects.find(added.id, ada.id))?.project as Project;
      added.change({ name: 'Renamed', archived: true }, at(5));
      expect(await persistence.projects.update(added, 1)).toBe(true);
      expect((await persistence.projects.find(added.id, ada.id))?.project).toEqual(added);
      stale.change({ name: 'Lost' }, at(6));
      expect(await persistence.projects.update(stale, 1)).toBe(false);

      expect(await persistence.projects.remove(added.id, 1)).toBe(false);
      expect(await persistence.projects.remove(added.id, 2)).toBe(true);
      expect(await persistence.projects.find(added.id, ada.id)).toBeNull();
      expect(await persistence.memberships.roleOf(added.id, ada.id)).toBeNull();
    });

    it('counts every project, archived ones too', async () => {
      expect(await persistence.projects.count()).toBe(0);
      const archived = await project(ada, 'Old');
      archived.change({ archived: true }, at(2));
      await persistence.projects.update(archived, 1);
      await project(bob, 'New');
      expect(await persistence.projects.count()).toBe(2);
    });

    it('refuses to delete a project that holds a task', async () => {
      const added = await project(ada);
      expect(await persistence.projects.holdsTasks(added.id)).toBe(false);
      await persistence.tasks.add(taskDraft(ada.id, { projectId: added.id }), entryBy(ada.id));
      expect(await persistence.projects.holdsTasks(added.id)).toBe(true);
      await expect(persistence.projects.remove(added.id, 1)).rejects.toMatchObject({
        code: 'project_not_empty',
      });
      expect(await persistence.projects.find(added.id, ada.id)).not.toBeNull();
    });

    it('refuses a task in a project that does not exist', async () => {
      await expect(
        persistence.tasks.add(taskDraft(ada.id, { projectId: 999 }), entryBy(ada.id)),
      ).rejects.toMatchObject({ fields: { project: expect.any(Array) } });
    });

    it("lists a member's projects by id, staff all, with search, archived and keyset", async () => {
      const site = await project(ada, 'Website');
      const garden = await project(bob, 'Garden');
      const shop = await project(ada, 'Web shop');
      await join(garden.id, ada, 'viewer');
      shop.change({ archived: true }, at(3));
      await persistence.projects.update(shop, 1);
      const list = (query: Partial<Parameters<Persistence['projects']['list']>[0]>) =>
        persistence.projects.list({ viewer: ada, limit: 10, ...query });

      expect((await list({})).map((v) => [v.project.id, v.role])).toEqual([
        [site.id, 'owner'],
        [garden.id, 'viewer'],
        [shop.id, 'owner'],
      ]);
      expect(ids((await list({ viewer: carol })).map((v) => v.project))).toEqual([]);
      expect((await list({ viewer: staff })).map((v) => v.role)).toEqual([null, null, null]);
      expect((await list({ search: 'WEB' })).map((v) => v.project.name)).toEqual([
        'Website',
        'Web shop',
      ]);
      expect((await list({ archived: true })).map((v) => v.project.id)).toEqual([shop.id]);
      expect((await list({ archived: false, afterId: site.id })).map((v) => v.project.id)).toEqual([
        garden.id,
      ]);
      expect((await list({ limit: 1 })).map((v) => v.project.id)).toEqual([site.id]);
      expect(await list({ search: '100%' })).toEqual([]);
    });

    it('adds a member, changes their role keeping when they joined, and removes them', async () => {
      const added = await project(ada);
      await join(added.id, bob, 'viewer', 5);
      await join(added.id, bob, 'editor', 9);
      expect(await persistence.memberships.roleOf(added.id, bob.id)).toBe('editor');
      expect(await persistence.memberships.member(added.id, bob.id)).toEqual({
        user: { id: bob.id, username: 'bob' },
        role: 'editor',
        addedAt: at(5),
      });
      expect(await persistence.memberships.remove(added.id, bob.id)).toBe(true);
      expect(await persistence.memberships.remove(added.id, bob.id)).toBe(false);
      expect(await persistence.memberships.member(added.id, bob.id)).toBeNull();
    });

    it('names the owners longest-standing first and pages the members by user id', async () => {
      const added = await project(carol, 'Site', 3);
      await join(added.id, ada, 'owner', 7);
      await join(added.id, bob, 'owner', 1);
      expect(await persistence.memberships.owners(added.id)).toEqual([bob.id, carol.id, ada.id]);
      const first = await persistence.memberships.list(added.id, { limit: 2 });
      expect(first.map((m) => m.user.id)).toEqual([ada.id, bob.id]);
      const rest = await persistence.memberships.list(added.id, { afterUserId: bob.id, limit: 2 });
      expect(rest.map((m) => m.user.username)).toEqual(['carol']);
    });

    it('rolls a project and its first membership back together', async () => {
      await expect(
        persistence.uow.run(async (tx) => {
          const added = await tx.projects.add(draftProject({ name: 'Doomed' }, ada, at(0)));
          await tx.memberships.put({
            projectId: added.id,
            userId: ada.id,
            role: 'owner',
            addedAt: at(0),
          });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await persistence.projects.list({ viewer: staff, limit: 10 })).toEqual([]);
    });

    describe('the task list over projects', () => {
      let tasks: Task[];
      let site: Project;
      let garden: Project;
      beforeEach(async () => {
        site = await project(ada, 'Site');
        garden = await project(carol, 'Garden');
        await join(site.id, bob, 'viewer');
        const titles = ['delta', 'Alpha', 'charlie', 'bravo', 'Échelle', 'alpha'];
        tasks = [];
        for (const [i, title] of titles.entries())
          tasks.push(
            await persistence.tasks.add(
              taskDraft(i % 2 === 0 ? ada.id : carol.id, {
                title,
                projectId: [site.id, garden.id, null][i % 3] ?? null,
                // Bob's own tasks outside the project, one also in it (seen twice, listed once).
                assignedTo: i === 0 || i === 2 ? bob.id : null,
                createdAt: at(10 - i),
                updatedAt: at((i * 7) % 5),
              }),
              entryBy(ada.id),
            ),
          );
      });

      const visibleToBob = () =>
        tasks.filter((t) => t.projectId === site.id || t.assignedTo === bob.id);
      const sorted = (
        rows: Task[],
        field: (typeof TASK_ORDER_FIELDS)[number],
        descending: boolean,
      ) =>
        [...rows].sort((a, b) => {
          const [l, r] = [taskKey(a, field).value, taskKey(b, field).value];
          const byKey =
            typeof l === 'number' && typeof r === 'number'
              ? l - r
              : compareCodePoints(String(l), String(r));
          return (descending ? -1 : 1) * (byKey || a.id - b.id);
        });

      /** What Bob sees, page by page of `limit` until a short page. */
      const everyPage = async (ordering: TaskQuery['ordering'], limit: number) => {
        const seen: Task[] = [];
        let after: TaskQuery['after'];
        for (;;) {
          const page = await persistence.tasks.list({ viewer: bob, ordering, after, limit });
          seen.push(...page);
          if (page.length < limit) return seen;
          after = taskKey(page[limit - 1] as Task, ordering.field);
        }
      };

      it.each(
        TASK_ORDER_FIELDS.flatMap((field) => [[field, false] as const, [field, true] as const]),
      )(
        'pages what a member sees by %s (descending: %s), each task once',
        async (field, descending) => {
          const seen = await everyPage({ field, descending }, 2);
          expect(ids(seen)).toEqual(ids(sorted(visibleToBob(), field, descending)));
        },
      );

      it('pages the tasks of a member of 40 projects, each project merged in', async () => {
        const more: Task[] = [];
        for (let i = 0; i < 40; i++) {
          const each = await project(carol, `Team ${i}`);
          await join(each.id, bob, 'editor');
          more.push(
            await persistence.tasks.add(
              taskDraft(carol.id, { title: `t${i}`, projectId: each.id }),
              entryBy(carol.id),
            ),
          );
        }
        const seen = await everyPage({ field: 'id', descending: true }, 15);
        expect(ids(seen)).toEqual(ids(sorted([...visibleToBob(), ...more], 'id', true)));
      });

      it('filters by project, or by no project, and forgets a removed member at once', async () => {
        const ordering = { field: 'id' as const, descending: false };
        const list = (query: Partial<TaskQuery>) =>
          persistence.tasks.list({ viewer: bob, ordering, limit: 50, ...query });
        expect(ids(await list({ project: site.id }))).toEqual(
          ids(tasks.filter((t) => t.projectId === site.id)),
        );
        expect(ids(await list({ project: garden.id }))).toEqual([]);
        expect(ids(await list({ project: null }))).toEqual(
          ids(tasks.filter((t) => t.projectId === null && t.assignedTo === bob.id)),
        );
        expect(ids(await list({ viewer: staff, project: garden.id }))).toEqual(
          ids(tasks.filter((t) => t.projectId === garden.id)),
        );
        expect(ids(await list({ status: 'pending', search: 'ALPHA' }))).toEqual(
          ids(visibleToBob().filter((t) => t.title.toLowerCase() === 'alpha')),
        );
        await persistence.memberships.remove(site.id, bob.id);
        expect(ids(await list({}))).toEqual(ids(tasks.filter((t) => t.assignedTo === bob.id)));
      });
    });
  });
}
