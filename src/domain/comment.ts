import { Entity } from './entity.ts';
import { forbidden, notFound, throwIfInvalid } from './errors.ts';
import type { HistoryRecord } from './history.ts';
import { type CommentRights, commentRights, type ProjectRole } from './rights.ts';
import { codePointLength } from './text.ts';
import type { Actor } from './user.ts';

export const COMMENT_BODY_MAX = 10_000;

export interface CommentProps {
  id: number;
  taskId: number;
  authorId: number;
  /** Trimmed, 1–10,000 code points, no NUL. */
  body: string;
  createdAt: Date;
  updatedAt: Date;
  /** Increases by one on every edit; the comment's ETag. */
  version: number;
}

export type CommentDraft = Omit<CommentProps, 'id'>;

function checkedBody(raw: string): string {
  const body = raw.trim();
  const errors =
    body.length === 0
      ? ['This field may not be blank.']
      : codePointLength(body) > COMMENT_BODY_MAX
        ? [`Ensure this field has no more than ${COMMENT_BODY_MAX} characters.`]
        : body.includes('\u0000')
          ? ['Null characters are not allowed.']
          : [];
  throwIfInvalid({ body: errors });
  return body;
}

/** A new comment by `author` on task `taskId`, and the history entry that records it. */
export function draftComment(
  body: string,
  taskId: number,
  author: Actor,
  now: Date,
): { draft: CommentDraft; history: HistoryRecord } {
  return {
    draft: {
      taskId,
      authorId: author.id,
      body: checkedBody(body),
      createdAt: now,
      updatedAt: now,
      version: 1,
    },
    history: { actorId: author.id, at: now, action: 'commented', changes: {} },
  };
}

export class Comment extends Entity<CommentProps>() {
  rightsOf(actor: Actor, role: ProjectRole | null = null): CommentRights {
    return commentRights(this, actor, role);
  }

  assertEditableBy(actor: Actor, role: ProjectRole | null = null): void {
    if (!this.rightsOf(actor, role).edits)
      throw forbidden('Only the author of a comment may edit it.');
  }

  /** Replaces the body; false when it is the body the comment already has (no change). */
  edit(body: string, actor: Actor, now: Date, role: ProjectRole | null = null): boolean {
    this.assertEditableBy(actor, role);
    const checked = checkedBody(body);
    if (checked === this.body) return false;
    Object.assign(this, { body: checked, updatedAt: now, version: this.version + 1 });
    return true;
  }

  assertDeletableBy(actor: Actor, role: ProjectRole | null = null): void {
    if (!this.rightsOf(actor, role).deletes)
      throw forbidden(
        "Only the comment's author, an owner of the task's project or staff may delete it.",
      );
  }
}

export const commentNotFound = () => notFound('Comment');
