import { describe, expect, it } from 'vitest';
import { commentRights, type ProjectRole, taskRights } from '../../src/domain/rights.ts';

const task = { createdBy: 1, assignedTo: 2 };
const person = (id: number, isStaff = false) => ({ id, isStaff });

describe('taskRights', () => {
  it.each([
    ['the creator', person(1), null, [true, true, true, true, true]],
    ['the assignee', person(2), null, [true, false, true, false, true]],
    ['staff', person(9, true), null, [true, true, true, true, true]],
    ['a stranger', person(3), null, [false, false, false, false, false]],
    ["an owner of the task's project", person(3), 'owner', [true, true, true, true, true]],
    ["an editor of the task's project", person(3), 'editor', [true, true, true, true, true]],
    ["a viewer of the task's project", person(3), 'viewer', [true, false, false, false, true]],
    ['an assignee who is a viewer', person(2), 'viewer', [true, false, true, false, true]],
  ] as const)('gives %s what the contract says', (_, actor, role, expected) => {
    const rights = taskRights(task, actor, role as ProjectRole | null);
    expect([
      rights.sees,
      rights.changesAnything,
      rights.changesStatus,
      rights.deletes,
      rights.comments,
    ]).toEqual(expected);
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
