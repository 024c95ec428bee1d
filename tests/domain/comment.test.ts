import { describe, expect, it } from 'vitest';
import { Comment, draftComment } from '../../src/domain/comment.ts';

const author = { id: 1, isStaff: false };
const other = { id: 2, isStaff: false };
const staff = { id: 3, isStaff: true };
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T01:00:00Z');

const comment = () => new Comment({ ...draftComment('Which format?', 7, author, t0).draft, id: 1 });

describe('draftComment', () => {
  it('trims the body, and records a `commented` entry with no changes', () => {
    expect(draftComment('  Which format?\n', 7, author, t0)).toEqual({
      draft: {
        taskId: 7,
        authorId: author.id,
        body: 'Which format?',
        createdAt: t0,
        updatedAt: t0,
        version: 1,
      },
      history: { actorId: author.id, at: t0, action: 'commented', changes: {} },
    });
  });

  it.each([
    ['blank', ' \t\n', 'This field may not be blank.'],
    [
      'over 10,000 code points',
      '😀'.repeat(10_001),
      'Ensure this field has no more than 10000 characters.',
    ],
    ['holding NUL', 'a\u0000', 'Null characters are not allowed.'],
  ])('refuses a body %s', (_, body, message) => {
    expect(() => draftComment(body, 7, author, t0)).toThrow(
      expect.objectContaining({ kind: 'validation', fields: { body: [message] } }),
    );
  });

  it('takes 10,000 code points, surrogate pairs counted once', () => {
    expect(draftComment('😀'.repeat(10_000), 7, author, t0).draft.body).toHaveLength(20_000);
  });
});

describe('Comment', () => {
  it('lets its author edit: a new version and updated_at; the same body is no change', () => {
    const edited = comment();
    expect(edited.edit(' Which format? ', author, t1)).toBe(false);
    expect(edited.version).toBe(1);
    expect(edited.edit('PDF, please', author, t1)).toBe(true);
    expect(edited).toMatchObject({ body: 'PDF, please', updatedAt: t1, version: 2 });
  });

  it('lets nobody else edit, staff included, and checks the right before the body', () => {
    for (const actor of [other, staff])
      expect(() => comment().edit('', actor, t1)).toThrow(
        expect.objectContaining({ kind: 'forbidden' }),
      );
  });

  it("is deleted by its author, staff and owners of the task's project only", () => {
    expect(() => comment().assertDeletableBy(author)).not.toThrow();
    expect(() => comment().assertDeletableBy(staff)).not.toThrow();
    expect(() => comment().assertDeletableBy(other, 'owner')).not.toThrow();
    for (const role of [null, 'editor', 'viewer'] as const)
      expect(() => comment().assertDeletableBy(other, role)).toThrow(
        expect.objectContaining({ kind: 'forbidden' }),
      );
  });
});
