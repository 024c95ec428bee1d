import { describe, expect, it } from 'vitest';
import { LABEL_MAX, LABELS_MAX, labelKey, normalizeLabels } from '../../src/domain/labels.ts';
import { isPriority, PRIORITIES, priorityOfRank, priorityRank } from '../../src/domain/priority.ts';
import { reminderTime, taskDue } from '../../src/domain/reminders.ts';
import { draftTask, Task } from '../../src/domain/task.ts';
import { usernameKey } from '../../src/domain/user.ts';

const creator = { id: 1, isStaff: false };
const now = new Date('2026-01-01T09:00:00Z');
const HOUR = 3_600_000;

describe('priorities', () => {
  it('rank none < low < medium < high < urgent, and back', () => {
    expect(PRIORITIES.map(priorityRank)).toEqual([0, 1, 2, 3, 4]);
    for (const priority of PRIORITIES)
      expect(priorityOfRank(priorityRank(priority))).toBe(priority);
    expect(() => priorityOfRank(5)).toThrow(RangeError);
    expect(isPriority('urgent')).toBe(true);
    expect(isPriority('Urgent')).toBe(false);
  });
});

describe('labels', () => {
  it('trims, merges case-insensitively keeping the first spelling, sorts case-insensitively', () => {
    expect(normalizeLabels([' b ', 'A', 'a', 'B', 'c'])).toEqual(['A', 'b', 'c']);
    expect(normalizeLabels(['ǆ', 'ǅ', 'Ǆ'])).toEqual(['ǆ']);
    expect(normalizeLabels(['ẞ', 'ss', 'SS'])).toEqual(['ẞ']);
    expect(normalizeLabels([])).toEqual([]);
  });

  it('folds case as usernames do', () => {
    for (const label of ['Straße', 'ǅemal', 'ΣΊΣΥΦΟΣ', 'İstanbul'])
      expect(labelKey(label)).toBe(usernameKey(label));
  });

  it('counts length in code points, and duplicates once towards the limit', () => {
    expect(normalizeLabels(['😀'.repeat(LABEL_MAX)])).toHaveLength(1);
    expect(normalizeLabels(['😀'.repeat(LABEL_MAX + 1)])).toEqual({
      errors: [`Ensure each label has no more than ${LABEL_MAX} characters.`],
    });
    const many = Array.from({ length: LABELS_MAX }, (_, i) => `l${i}`);
    expect(normalizeLabels([...many, ...many.map((label) => label.toUpperCase())])).toHaveLength(
      LABELS_MAX,
    );
    expect(normalizeLabels([...many, 'one more'])).toEqual({
      errors: [`Ensure this field has no more than ${LABELS_MAX} labels.`],
    });
  });

  it('refuses blank labels, commas and NUL, naming each problem once', () => {
    expect(normalizeLabels([' ', '', 'a,b', 'a\u0000'])).toEqual({
      errors: [
        'A label may not be blank.',
        'A label may not contain a comma.',
        'Null characters are not allowed.',
      ],
    });
  });
});

describe('a task with the new fields', () => {
  const task = (fields: Parameters<typeof draftTask>[0]) =>
    new Task({ ...draftTask(fields, creator, now).draft, id: 7 });

  it('defaults to no due date, priority none and no labels', () => {
    expect(task({ title: 't' })).toMatchObject({ dueAt: null, priority: 'none', labels: [] });
  });

  it('reports the new fields among those a change changed, and only when they change', () => {
    const t = task({ title: 't', dueAt: now, labels: ['a', 'B'] });
    expect(
      t.change({ dueAt: new Date(now), labels: ['B', 'a'], priority: 'none' }, creator, now),
    ).toEqual({ changed: [], completed: false, history: null });
    expect(
      t.change({ dueAt: null, labels: ['c'], priority: 'high' }, creator, now).changed,
    ).toEqual(['dueAt', 'priority', 'labels']);
    expect(t).toMatchObject({ dueAt: null, labels: ['c'], priority: 'high', version: 2 });
  });

  it('refuses a due date outside the years 0001 to 9999 and an unknown priority', () => {
    expect(() => task({ title: 't', dueAt: new Date(Date.UTC(10_000, 0, 1)) })).toThrow(
      expect.objectContaining({ fields: { due_at: expect.any(Array) } }),
    );
    expect(() => task({ title: 't', dueAt: new Date(Date.UTC(9_999, 11, 31, 23)) })).not.toThrow();
    expect(() => task({ title: 't', dueAt: new Date(Number.NaN) })).toThrow();
    expect(() => task({ title: 't', priority: 'top' as 'high' })).toThrow(
      expect.objectContaining({ fields: { priority: ['"top" is not a valid choice.'] } }),
    );
  });
});

describe('reminderTime', () => {
  const due = (hours: number) => new Date(now.getTime() + hours * HOUR);
  const task = (fields: Partial<Parameters<typeof draftTask>[0]> = {}) =>
    new Task({
      ...draftTask({ title: 't', assignedTo: 2, dueAt: due(3), ...fields }, creator, now).draft,
      id: 7,
    });

  it('is the lead before due_at', () => {
    expect(reminderTime(task(), HOUR, now)).toEqual(due(2));
  });

  it('is now when the lead has already begun, and none once due_at has passed', () => {
    expect(reminderTime(task({ dueAt: due(0.5) }), HOUR, now)).toEqual(now);
    expect(reminderTime(task({ dueAt: now }), HOUR, now)).toBeNull();
    expect(reminderTime(task({ dueAt: due(-1) }), HOUR, now)).toBeNull();
  });

  it('is none for a task completed, unassigned or undated', () => {
    expect(reminderTime(task({ status: 'completed' }), HOUR, now)).toBeNull();
    expect(reminderTime(task({ assignedTo: null }), HOUR, now)).toBeNull();
    expect(reminderTime(task({ dueAt: null }), HOUR, now)).toBeNull();
  });

  it('makes an event that says the task, its assignee and when it is due', () => {
    expect(taskDue({ id: 7, title: 't', dueAt: due(3) }, 'bob', due(2), 'e1')).toEqual({
      type: 'task.due',
      eventId: 'e1',
      taskId: 7,
      taskTitle: 't',
      assignedTo: 'bob',
      dueAt: due(3),
      sendAt: due(2),
    });
  });
});
