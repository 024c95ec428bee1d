import { beforeEach, describe, expect, it } from 'vitest';
import type { TaskRepository } from '../../src/application/ports/tasks.ts';
import { createTask } from '../../src/application/tasks/create-task.ts';
import { deleteTask } from '../../src/application/tasks/delete-task.ts';
import { getTask } from '../../src/application/tasks/get-task.ts';
import { listTasks } from '../../src/application/tasks/list-tasks.ts';
import { updateTask } from '../../src/application/tasks/update-task.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import type { Actor } from '../../src/domain/user.ts';
import { type Harness, harness } from '../harness.ts';

let h: Harness;
let creator: Actor;
let assignee: Actor & { username: string };
let creatorName: string;

beforeEach(async () => {
  h = await harness();
  const a = await h.signUp();
  const b = await h.signUp();
  creator = { id: a.id, isStaff: false };
  creatorName = a.username;
  assignee = { id: b.id, isStaff: false, username: b.username };
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: DomainError) => ({ kind: error.kind, fields: error.fields }),
  );

describe('completion events', () => {
  it('records one event for a task created as completed', async () => {
    const task = await createTask(h.deps, {
      actor: creator,
      fields: { title: 'Done already', status: 'completed', assignedTo: assignee.id },
    });
    expect(await h.completions()).toEqual([
      {
        type: 'task.completed',
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        taskId: task.id,
        taskTitle: 'Done already',
        assignedTo: assignee.username,
        completedAt: h.clock.now(),
        completedBy: creatorName,
      },
    ]);
  });

  it('records one per completion: none while it stays completed, a new one after reopening', async () => {
    const task = await createTask(h.deps, { actor: creator, fields: { title: 'Cycle' } });
    const update = (changes: object, actor: Actor = creator) =>
      updateTask(h.deps, { actor, id: task.id, changes });
    await update({ status: 'completed' });
    await update({ title: 'Cycle, renamed' });
    await update({ status: 'completed' });
    expect(await h.completions()).toHaveLength(1);
    await update({ status: 'pending' });
    await update({ status: 'completed' });
    const events = await h.completions();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ taskTitle: 'Cycle, renamed', assignedTo: 'Unassigned' });
    expect(events[0]?.eventId).not.toBe(events[1]?.eventId);
  });
});

describe('a write another write got in before', () => {
  /** The task repository outside a transaction, with `meanwhile` run just before its first update. */
  function racedTasks(meanwhile: () => Promise<unknown>): TaskRepository {
    let raced = false;
    return {
      ...h.deps.tasks,
      async update(task, expectedVersion, completion) {
        if (!raced) {
          raced = true;
          await meanwhile();
        }
        return h.deps.tasks.update(task, expectedVersion, completion);
      },
    };
  }

  it('is written again under the lock, losing neither change, with one event', async () => {
    const task = await createTask(h.deps, { actor: creator, fields: { title: 'Raced' } });
    const tasks = racedTasks(() =>
      updateTask(h.deps, { actor: creator, id: task.id, changes: { description: 'Meanwhile' } }),
    );

    const done = await updateTask(
      { ...h.deps, tasks },
      { actor: creator, id: task.id, changes: { status: 'completed' } },
    );

    expect(done).toMatchObject({ status: 'completed', description: 'Meanwhile', version: 3 });
    expect(await getTask(h.deps, { actor: creator, id: task.id })).toEqual(done);
    expect(await h.completions()).toHaveLength(1);
  });

  it('is refused when its If-Match named the version the other write replaced', async () => {
    const task = await createTask(h.deps, { actor: creator, fields: { title: 'Raced' } });
    const tasks = racedTasks(() =>
      updateTask(h.deps, { actor: creator, id: task.id, changes: { title: 'Meanwhile' } }),
    );

    expect(
      await failure(
        updateTask(
          { ...h.deps, tasks },
          { actor: creator, id: task.id, ifMatch: [1], changes: { status: 'completed' } },
        ),
      ),
    ).toMatchObject({ kind: 'precondition_failed' });
    expect(await getTask(h.deps, { actor: creator, id: task.id })).toMatchObject({
      title: 'Meanwhile',
      status: 'pending',
      version: 2,
    });
    expect(await h.completions()).toEqual([]);
  });
});

describe('assignees', () => {
  it('must be active users', async () => {
    await h.deactivate(assignee.id);
    for (const assignedTo of [assignee.id, 999])
      expect(
        await failure(createTask(h.deps, { actor: creator, fields: { title: 'x', assignedTo } })),
      ).toEqual({
        kind: 'validation',
        fields: { assigned_to: [`Invalid pk "${assignedTo}" - object does not exist.`] },
      });
  });

  it('are checked on a change, but an unchanged inactive assignee is no error', async () => {
    const task = await createTask(h.deps, {
      actor: creator,
      fields: { title: 'x', assignedTo: assignee.id },
    });
    await h.deactivate(assignee.id);
    await expect(
      updateTask(h.deps, {
        actor: creator,
        id: task.id,
        changes: { assignedTo: assignee.id, title: 'y' },
      }),
    ).resolves.toMatchObject({ title: 'y' });
    expect(
      await failure(
        updateTask(h.deps, { actor: creator, id: task.id, changes: { assignedTo: 999 } }),
      ),
    ).toMatchObject({ kind: 'validation' });
  });
});

describe('preconditions', () => {
  it('refuses writes whose If-Match names another version', async () => {
    const task = await createTask(h.deps, { actor: creator, fields: { title: 'v1' } });
    expect(
      await failure(
        updateTask(h.deps, {
          actor: creator,
          id: task.id,
          changes: { title: 'v2' },
          ifMatch: [2],
        }),
      ),
    ).toMatchObject({ kind: 'precondition_failed' });
    expect(
      await failure(deleteTask(h.deps, { actor: creator, id: task.id, ifMatch: [7, 9] })),
    ).toMatchObject({ kind: 'precondition_failed' });
    await updateTask(h.deps, {
      actor: creator,
      id: task.id,
      changes: { title: 'v2' },
      ifMatch: [1],
    });
    await deleteTask(h.deps, { actor: creator, id: task.id, ifMatch: [2] });
    expect(await failure(getTask(h.deps, { actor: creator, id: task.id }))).toMatchObject({
      kind: 'not_found',
    });
  });

  it('applies concurrent updates one after the other, losing neither', async () => {
    const task = await createTask(h.deps, { actor: creator, fields: { title: 'race' } });
    await Promise.all([
      updateTask(h.deps, { actor: creator, id: task.id, changes: { title: 'renamed' } }),
      updateTask(h.deps, { actor: creator, id: task.id, changes: { description: 'described' } }),
    ]);
    expect(await getTask(h.deps, { actor: creator, id: task.id })).toMatchObject({
      title: 'renamed',
      description: 'described',
      version: 3,
    });
  });
});

describe('listTasks', () => {
  it('returns a next key only when another page exists', async () => {
    for (const title of ['a', 'b', 'c'])
      await createTask(h.deps, { actor: creator, fields: { title } });
    const query = { viewer: creator, ordering: { field: 'title', descending: true } } as const;
    const first = await listTasks(h.deps, { ...query, limit: 2 });
    expect(first.items.map((t) => t.title)).toEqual(['c', 'b']);
    expect(first.next).toEqual({ value: 'b', id: 2 });
    const last = await listTasks(h.deps, { ...query, limit: 2, after: first.next ?? undefined });
    expect(last.items.map((t) => t.title)).toEqual(['a']);
    expect(last.next).toBeNull();
  });
});
