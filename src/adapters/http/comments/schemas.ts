import { z } from '@hono/zod-openapi';
import type { AuthoredComment, UserRef } from '../../../application/ports/comments.ts';
import type { RecordedEntry } from '../../../application/ports/history.ts';
import { COMMENT_BODY_MAX } from '../../../domain/comment.ts';
import { HISTORY_ACTIONS } from '../../../domain/history.ts';
import { echoed, Id, Instant } from '../fields.ts';
import { instant } from '../instants.ts';

const UserRefSchema = z.object({ id: Id, username: z.string() });

/** POST and PATCH: the body is all a client writes; the rest of a comment it may send back. */
export const CommentBody = z
  .strictObject({
    body: z.string().openapi({
      minLength: 1,
      maxLength: COMMENT_BODY_MAX,
      description: 'Trimmed; length in code points.',
      example: 'Which format do you need?',
    }),
    id: echoed('Ignored.'),
    author: echoed('Ignored.'),
    created_at: echoed('Ignored.'),
    updated_at: echoed('Ignored.'),
    version: echoed('Ignored; send `If-Match` to make an edit conditional.'),
  })
  .openapi('CommentWrite');

export const CommentSchema = z
  .object({
    id: Id,
    author: UserRefSchema,
    body: z.string(),
    created_at: Instant,
    updated_at: Instant,
    version: z
      .int()
      .openapi({ description: "Increases by one on every edit; the comment's ETag." }),
  })
  .openapi('Comment');

const userRef = (user: UserRef) => ({ id: user.id, username: user.username });

export const commentResource = ({
  comment,
  author,
}: AuthoredComment): z.infer<typeof CommentSchema> => ({
  id: comment.id,
  author: userRef(author),
  body: comment.body,
  created_at: instant(comment.createdAt),
  updated_at: instant(comment.updatedAt),
  version: comment.version,
});

export const HistoryEntrySchema = z
  .object({
    id: Id,
    at: Instant,
    actor: UserRefSchema,
    action: z.enum(HISTORY_ACTIONS),
    changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).openapi({
      description:
        'Each changed field, by its name in a task, mapped to `[old, new]`; `{}` for `commented`. ' +
        'On `created`, every writable field, from null.',
      example: { status: ['pending', 'completed'] },
    }),
  })
  .openapi('HistoryEntry');

export const historyResource = ({
  entry,
  actor,
}: RecordedEntry): z.infer<typeof HistoryEntrySchema> => ({
  id: entry.id,
  at: instant(entry.at),
  actor: userRef(actor),
  action: entry.action,
  changes: entry.changes as Record<string, [unknown, unknown]>,
});
