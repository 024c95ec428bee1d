import { describe, expect, it } from 'vitest';
import { assertOwnerRemains, draftProject, Project } from '../../src/domain/project.ts';
import {
  commentRights,
  type ProjectRole,
  projectRights,
  taskRights,
} from '../../src/domain/rights.ts';
import { draftTask, Task } from '../../src/domain/task.ts';

const person = (id: number, isStaff = false) => ({ id, isStaff });
const NOW = new Date('2026-01-01T09:00:00.000Z');

// Task 1 of project 10, created by user 1 and assigned to user 2. A former member's role is
// gone with their membership: they stand where a stranger does.
const PARTIES: [string, ReturnType<typeof person>, ProjectRole | null][] = [
  ['the creator', person(1), null],
  ['the assignee', person(2), null],
  ["an owner of the task's project", person(3), 'owner'],
  ["an editor of the task's project", person(4), 'editor'],
  ["a viewer of the task's project", person(5), 'viewer'],
  ['a former member of the project', person(6), null],
  ['a stranger', person(7), null],
  ['staff', person(9, true), null],
  ['an assignee who is a viewer', person(2), 'viewer'],
  ['a creator who is a viewer', person(1), 'viewer'],
];

// see, change a field, change the status, delete, comment
const EXPECTED: Record<string, boolean[]> = {
  'the creator': [true, true, true, true, true],
  'the assignee': [true, false, true, false, true],
  "an owner of the task's project": [true, true, true, true, true],
  "an editor of the task's project": [true, true, true, true, true],
  "a viewer of the task's project": [true, false, false, false, true],
  'a former member of the project': [false, false, false, false, false],
  'a stranger': [false, false, false, false, false],
  staff: [true, true, true, true, true],
  'an assignee who is a viewer': [true, false, true, false, true],
  'a creator who is a viewer': [true, true, true, true, true],
};

const task = () =>
  new Task({
    ...draftTask({ title: 'Plan', assignedTo: 2, projectId: 10 }, person(1), NOW).draft,
    id: 1,
  });

/** What the task entity itself allows, each right tried as a use case would. */
function tried(actor: ReturnType<typeof person>, role: ProjectRole | null): boolean[] {
  const attempt = (work: (t: Task) => unknown) => {
    try {
      work(task());
      return true;
    } catch {
      return false;
    }
  };
  return [
    attempt((t) => t.assertVisibleTo(actor, role)),
    attempt((t) => t.change({ title: 'Renamed' }, actor, NOW, role)),
    attempt((t) => t.change({ status: 'completed' }, actor, NOW, role)),
    attempt((t) => t.assertDeletableBy(actor, role)),
    taskRights(task(), actor, role).comments,
  ];
}

describe('taskRights', () => {
  it.each(PARTIES)('gives %s what the contract says', (name, actor, role) => {
    const rights = taskRights(task(), actor, role);
    expect([
      rights.sees,
      rights.changesAnything,
      rights.changesStatus,
      rights.deletes,
      rights.comments,
    ]).toEqual(EXPECTED[name]);
  });

  it.each(PARTIES)('is what the task entity enforces for %s', (name, actor, role) => {
    expect(tried(actor, role)).toEqual(EXPECTED[name]);
  });

  it('answers "not found" to whoever does not see the task, "forbidden" to a viewer', () => {
    expect(() => task().change({ title: 'x' }, person(7), NOW)).toThrow(
      expect.objectContaining({ kind: 'not_found' }),
    );
    expect(() => task().change({ title: 'x' }, person(5), NOW, 'viewer')).toThrow(
      expect.objectContaining({ kind: 'forbidden' }),
    );
  });
});

describe('projectRights', () => {
  it.each([
    ['an owner', person(3), 'owner', [true, true, true]],
    ['an editor', person(4), 'editor', [true, false, true]],
    ['a viewer', person(5), 'viewer', [true, false, false]],
    ['a stranger', person(7), null, [false, false, false]],
    ['staff', person(9, true), null, [true, true, true]],
  ] as const)('gives %s: see, manage, place tasks', (_, actor, role, expected) => {
    const rights = projectRights(actor, role);
    expect([rights.sees, rights.manages, rights.placesTasks]).toEqual(expected);
  });
});

describe('Project', () => {
  const project = () =>
    new Project({ ...draftProject({ name: ' Site ' }, person(1), NOW), id: 10 });

  it('trims its name and keeps it 1 to 100 code points, its description at most 10,000', () => {
    expect(project().name).toBe('Site');
    expect(() => draftProject({ name: '  ' }, person(1), NOW)).toThrow(
      expect.objectContaining({ fields: { name: ['This field may not be blank.'] } }),
    );
    expect(() => draftProject({ name: 'é'.repeat(101) }, person(1), NOW)).toThrow();
    expect(draftProject({ name: '😀'.repeat(100) }, person(1), NOW).name).toHaveLength(200);
    expect(() => project().change({ description: 'x'.repeat(10_001) }, NOW)).toThrow();
  });

  it('counts a change only when a value differs, and then bumps its version', () => {
    const p = project();
    expect(p.change({ name: 'Site' }, NOW)).toBe(false);
    expect(p.version).toBe(1);
    expect(p.change({ archived: true }, NOW)).toBe(true);
    expect(p.version).toBe(2);
  });

  it('takes tasks from its editors and owners and staff, never once archived', () => {
    const p = project();
    for (const [actor, role] of [
      [person(3), 'owner'],
      [person(4), 'editor'],
      [person(9, true), null],
    ] as const)
      expect(() => p.assertTakesTasksFrom(actor, role)).not.toThrow();
    expect(() => p.assertTakesTasksFrom(person(5), 'viewer')).toThrow(
      expect.objectContaining({ kind: 'validation' }),
    );
    expect(() => p.assertTakesTasksFrom(person(7), null)).toThrow(
      expect.objectContaining({
        fields: { project: ['Invalid pk "10" - object does not exist.'] },
      }),
    );
    p.change({ archived: true }, NOW);
    expect(() => p.assertTakesTasksFrom(person(3), 'owner')).toThrow(
      expect.objectContaining({
        fields: { project: ['This project is archived and takes no new tasks.'] },
      }),
    );
  });

  it('keeps at least one owner', () => {
    expect(() => assertOwnerRemains([1], 1, 'editor')).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'last_owner' }),
    );
    expect(() => assertOwnerRemains([1], 1, null)).toThrow(
      expect.objectContaining({ code: 'last_owner' }),
    );
    expect(() => assertOwnerRemains([1, 2], 1, null)).not.toThrow();
    expect(() => assertOwnerRemains([1], 1, 'owner')).not.toThrow();
  });
});

describe('commentRights', () => {
  const comment = { authorId: 1 };
  it.each([
    ['its author', person(1), null, [true, true]],
    ['its author, a viewer', person(1), 'viewer', [true, true]],
    ['staff', person(9, true), null, [false, true]],
    ["an owner of the task's project", person(3), 'owner', [false, true]],
    ["an editor of the task's project", person(3), 'editor', [false, false]],
    ["a viewer of the task's project", person(3), 'viewer', [false, false]],
    ['anyone else', person(3), null, [false, false]],
  ] as const)('gives %s what the contract says', (_, actor, role, expected) => {
    const rights = commentRights(comment, actor, role as ProjectRole | null);
    expect([rights.edits, rights.deletes]).toEqual(expected);
  });
});
