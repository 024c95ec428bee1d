import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { draftTask, Task, type TaskChanges } from '../../src/domain/task.ts';

const creator = { id: 1, isStaff: false };
const assignee = { id: 2, isStaff: false };
const stranger = { id: 3, isStaff: false };
const staff = { id: 4, isStaff: true };
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T01:00:00Z');

function task(overrides: Partial<ConstructorParameters<typeof Task>[0]> = {}) {
  const { draft } = draftTask({ title: 'Write docs', assignedTo: assignee.id }, creator, t0);
  return new Task({ ...draft, id: 7, ...overrides });
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('draftTask', () => {
  it('trims the title and fills defaults', () => {
    const { draft, completed } = draftTask({ title: '  Ship it \n' }, creator, t0);
    expect(draft).toMatchObject({
      title: 'Ship it',
      description: '',
      status: 'pending',
      assignedTo: null,
      createdBy: 1,
      completedAt: null,
      version: 1,
    });
    expect(completed).toBe(false);
  });

  it('reports a task created as completed and stamps completed_at', () => {
    const { draft, completed } = draftTask({ title: 'Done', status: 'completed' }, creator, t0);
    expect(completed).toBe(true);
    expect(draft.completedAt).toEqual(t0);
  });

  it('counts title and description lengths in code points', () => {
    expect(() => draftTask({ title: '😀'.repeat(255) }, creator, t0)).not.toThrow();
    expect(errorOf(() => draftTask({ title: '😀'.repeat(256) }, creator, t0)).fields).toEqual({
      title: ['Ensure this field has no more than 255 characters.'],
    });
    expect(() =>
      draftTask({ title: 'x', description: '😀'.repeat(10_000) }, creator, t0),
    ).not.toThrow();
    expect(
      errorOf(() => draftTask({ title: 'x', description: 'x'.repeat(10_001) }, creator, t0)).fields,
    ).toHaveProperty('description');
  });

  it('refuses NUL characters, as DRF does', () => {
    expect(
      errorOf(() => draftTask({ title: 'a\u0000b', description: '\u0000' }, creator, t0)).fields,
    ).toEqual({
      title: ['Null characters are not allowed.'],
      description: ['Null characters are not allowed.'],
    });
  });

  it('names every bad field at once', () => {
    const error = errorOf(() =>
      draftTask(
        { title: '   ', description: 'x'.repeat(10_001), status: 'done' as never },
        creator,
        t0,
      ),
    );
    expect(error.kind).toBe('validation');
    expect(Object.keys(error.fields ?? {})).toEqual(['title', 'description', 'status']);
    expect(error.fields?.title).toEqual(['This field may not be blank.']);
  });
});

describe('Task visibility and permissions', () => {
  it('is visible to its creator, its assignee and staff only', () => {
    const t = task();
    expect([creator, assignee, staff, stranger].map((a) => t.rightsOf(a).sees)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('hides itself from strangers as not found, for changes and deletes too', () => {
    expect(errorOf(() => task().change({ status: 'completed' }, stranger, t1)).kind).toBe(
      'not_found',
    );
    expect(errorOf(() => task().assertDeletableBy(stranger)).kind).toBe('not_found');
  });

  it('lets the assignee change the status and nothing else', () => {
    const t = task();
    expect(t.change({ status: 'completed' }, assignee, t1).completed).toBe(true);
    const forbidden: TaskChanges[] = [
      { title: 'Other' },
      { description: 'x' },
      { assignedTo: null },
    ];
    for (const changes of forbidden)
      expect(errorOf(() => task().change(changes, assignee, t1)).kind).toBe('forbidden');
  });

  it('treats a field sent with its current value as no change', () => {
    const t = task();
    const outcome = t.change(
      { title: ' Write docs ', description: '', assignedTo: 2, status: 'completed' },
      assignee,
      t1,
    );
    expect(outcome).toMatchObject({ changed: ['status'], completed: true });
    expect(t.version).toBe(2);
  });

  it('lets the creator and staff change anything and delete', () => {
    for (const actor of [creator, staff]) {
      const t = task();
      expect(t.change({ title: 'New', assignedTo: null }, actor, t1).changed).toEqual([
        'title',
        'assignedTo',
      ]);
      expect(() => t.assertDeletableBy(actor)).not.toThrow();
    }
    expect(errorOf(() => task().assertDeletableBy(assignee)).kind).toBe('forbidden');
  });
});

describe('Task.change', () => {
  it('bumps version and updated_at only when something changed', () => {
    const t = task();
    expect(t.change({ title: 'Write docs' }, creator, t1)).toEqual({
      changed: [],
      completed: false,
      history: null,
    });
    expect(t.version).toBe(1);
    expect(t.updatedAt).toEqual(t0);
    t.change({ description: 'more' }, creator, t1);
    expect(t.version).toBe(2);
    expect(t.updatedAt).toEqual(t1);
  });

  it('reports completion only on the pending → completed transition', () => {
    const t = task();
    expect(t.change({ status: 'completed' }, creator, t1).completed).toBe(true);
    expect(t.completedAt).toEqual(t1);
    expect(t.change({ title: 'Still done' }, creator, t1).completed).toBe(false);
    expect(t.change({ status: 'completed' }, creator, t1).changed).toEqual([]);
    t.change({ status: 'pending' }, creator, t1);
    expect(t.completedAt).toBeNull();
    expect(t.change({ status: 'completed' }, creator, t1).completed).toBe(true);
    expect(t.version).toBe(5);
  });

  it('validates before it changes anything', () => {
    const t = task();
    expect(errorOf(() => t.change({ title: '' }, creator, t1)).fields).toEqual({
      title: ['This field may not be blank.'],
    });
    expect(t.title).toBe('Write docs');
    expect(t.version).toBe(1);
  });
});

describe('the history entry of a write', () => {
  it('records a new task with every writable field, from null, by its wire name', () => {
    const { history } = draftTask({ title: ' Ship ', assignedTo: assignee.id }, creator, t0);
    expect(history).toEqual({
      actorId: creator.id,
      at: t0,
      action: 'created',
      changes: {
        title: [null, 'Ship'],
        description: [null, ''],
        status: [null, 'pending'],
        assigned_to: [null, assignee.id],
        project: [null, null],
        due_at: [null, null],
        priority: [null, 'none'],
        labels: [null, []],
      },
    });
  });

  it('records a due date as its ISO string, a priority by name and labels as stored', () => {
    const created = draftTask(
      {
        title: 'Ship',
        dueAt: new Date('2026-03-01T16:00:00.000Z'),
        priority: 'high',
        labels: [' ui ', 'Bug'],
      },
      creator,
      t0,
    ).history;
    expect(created.changes).toMatchObject({
      due_at: [null, '2026-03-01T16:00:00.000Z'],
      priority: [null, 'high'],
      labels: [null, ['Bug', 'ui']],
    });
    const current = task();
    const { history } = current.change(
      { dueAt: new Date('2026-03-02T08:30:00.000Z'), priority: 'urgent', labels: ['ops'] },
      creator,
      t1,
    );
    expect(history?.changes).toEqual({
      due_at: [null, '2026-03-02T08:30:00.000Z'],
      priority: ['none', 'urgent'],
      labels: [[], ['ops']],
    });
    expect(
      current.change({ dueAt: null, priority: 'urgent', labels: ['OPS', 'ops'] }, creator, t1)
        .history?.changes,
    ).toEqual({ due_at: ['2026-03-02T08:30:00.000Z', null], labels: [['ops'], ['OPS']] });
  });

  it('records nothing for the same instant, or the same labels in another order', () => {
    const current = task();
    current.change({ dueAt: new Date('2026-03-02T08:30:00Z'), labels: ['b', 'a'] }, creator, t1);
    expect(
      current.change(
        { dueAt: new Date('2026-03-02T09:30:00+01:00'), labels: ['a', 'B'] },
        creator,
        t1,
      ).history?.changes,
    ).toEqual({
      labels: [
        ['a', 'b'],
        ['a', 'B'],
      ],
    });
    expect(
      current.change(
        { dueAt: new Date('2026-03-02T09:30:00+01:00'), labels: ['B', 'a'] },
        creator,
        t1,
      ).history,
    ).toBeNull();
  });

  it('records the changed fields only, old and new, by the actor at the time', () => {
    const { history } = task().change(
      { title: 'Ship it', description: '', assignedTo: null },
      creator,
      t1,
    );
    expect(history).toEqual({
      actorId: creator.id,
      at: t1,
      action: 'updated',
      changes: { title: ['Write docs', 'Ship it'], assigned_to: [assignee.id, null] },
    });
  });

  it('names a completion after the completer, and a reopening', () => {
    const current = task();
    expect(current.change({ status: 'completed' }, assignee, t1).history).toMatchObject({
      actorId: assignee.id,
      action: 'completed',
      changes: { status: ['pending', 'completed'] },
    });
    expect(
      current.change({ status: 'pending', title: 'Again' }, creator, t1).history,
    ).toMatchObject({
      actorId: creator.id,
      action: 'reopened',
      changes: { status: ['completed', 'pending'], title: ['Write docs', 'Again'] },
    });
  });

  it('is null when nothing changed', () => {
    expect(
      task().change({ title: ' Write docs ', status: 'pending' }, creator, t1).history,
    ).toBeNull();
  });
});
