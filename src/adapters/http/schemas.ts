import { z } from '@hono/zod-openapi';
import { TASK_ORDER_FIELDS } from '../../application/ports/repositories.ts';
import { DESCRIPTION_MAX, TASK_STATUSES, TITLE_MAX } from '../../domain/task.ts';
import { USERNAME_MAX } from '../../domain/user.ts';

/** Ids are PostgreSQL `integer`s: anything larger cannot name a row. */
export const ID_MAX = 2_147_483_647;
export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 200;
export const SEARCH_MAX = 200;
export const REFRESH_TOKEN_MAX = 512;

type Issue = z.core.$ZodRawIssue;

/** The messages DRF clients already show their users, where zod's differ. */
function drfMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'This field is required.';
      if (issue.input === null) return 'This field may not be null.';
      if (issue.expected === 'object') return 'Invalid data. Expected a dictionary.';
      if (issue.expected === 'int' || issue.expected === 'number')
        return 'A valid integer is required.';
      if (issue.expected === 'string') return 'Not a valid string.';
      return undefined;
    case 'invalid_value':
      return `"${String(issue.input)}" is not a valid choice.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Ensure this field has no more than ${issue.maximum} characters.`
        : `Ensure this value is less than or equal to ${issue.maximum}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1
          ? 'This field may not be blank.'
          : `Ensure this field has at least ${issue.minimum} characters.`;
      return `Ensure this value is greater than or equal to ${issue.minimum}.`;
    case 'invalid_format':
      return issue.format === 'email' ? 'Enter a valid email address.' : undefined;
    default:
      return undefined;
  }
}

// Global on purpose: every schema of this service speaks to the same DRF-era clients.
z.config({ customError: drfMessage });

// Bounds first, aborting, so 1e300 gets one clear message rather than two.
const Id = z
  .number()
  .min(1, { abort: true })
  .max(ID_MAX, { abort: true })
  .int()
  .openapi({ example: 7 });
const Instant = z.string().openapi({ format: 'date-time', example: '2026-11-24T09:30:00.000Z' });

/** A read-only field a client may send back: accepted, never validated, never written. */
const echoed = (description: string) =>
  z.unknown().optional().openapi({ readOnly: true, description });

/** Digits naming an id, for query strings. */
const IdString = z
  .string()
  .regex(/^\d{1,10}$/, { error: 'A valid integer is required.' })
  .transform(Number)
  .pipe(Id);

// ---- accounts ----

export const RegisterBody = z
  .object({
    username: z.string().openapi({
      maxLength: USERNAME_MAX,
      description: 'Letters, digits and @.+-_; unique in any letter case.',
      example: 'ada',
    }),
    password: z.string().openapi({
      minLength: 8,
      description: 'At least 8 characters, at most 72 UTF-8 bytes, not all digits.',
      example: 'correct horse battery',
    }),
    email: z.union([z.literal(''), z.email().max(254)]).optional(),
  })
  .openapi('Registration');

export const RegisteredUser = z
  .object({ id: Id, username: z.string(), email: z.string(), date_joined: Instant })
  .openapi('RegisteredUser');

export const CredentialsBody = z
  .object({ username: z.string(), password: z.string() })
  .openapi('Credentials');

export const RefreshBody = z
  .object({ refresh: z.string().min(1).max(REFRESH_TOKEN_MAX) })
  .openapi('RefreshToken');

export const TokenPairSchema = z
  .object({
    token: z
      .string()
      .openapi({ description: 'Same as `access`, for clients of the original service.' }),
    access: z.string().openapi({ description: 'JWT; send as `Authorization: Bearer <access>`.' }),
    refresh: z.string().openapi({ description: 'Opaque; works once, at /api/token/refresh/.' }),
    token_type: z.literal('Bearer'),
    expires_in: z.int().openapi({ description: 'Seconds until `access` expires.' }),
  })
  .openapi('TokenPair');

export const MeSchema = z
  .object({
    id: Id,
    username: z.string(),
    email: z.string(),
    is_staff: z.boolean(),
    date_joined: Instant,
  })
  .openapi('Me');

export const UserSummarySchema = z.object({ id: Id, username: z.string() }).openapi('UserSummary');

const Limit = z
  .string()
  .regex(/^-?\d+$/, { error: 'A valid integer is required.' })
  .transform((digits) => Math.min(Number(digits), LIMIT_MAX))
  .pipe(z.int().min(1))
  .optional()
  .openapi({
    type: 'integer',
    description: `Page size, ${LIMIT_DEFAULT} by default; larger values are clamped to ${LIMIT_MAX}.`,
  });

const Cursor = z
  .string()
  .optional()
  .openapi({ description: 'Opaque; copy it from the `Link: <…>; rel="next"` header.' });

export const UserSearchQuery = z.object({
  search: z.string().max(USERNAME_MAX).optional(),
  limit: Limit,
  cursor: Cursor,
});

// ---- tasks ----

const Title = z
  .string()
  .openapi({ minLength: 1, maxLength: TITLE_MAX, description: 'Trimmed; length in code points.' });
const Description = z.string().openapi({ maxLength: DESCRIPTION_MAX, default: '' });
const Status = z.enum(TASK_STATUSES);
const Assignee = Id.nullable().openapi({ description: 'Id of an active user, or null.' });

const taskWriteShape = {
  title: Title,
  description: Description.optional(),
  status: Status.optional(),
  assigned_to: Assignee.optional(),
  id: echoed('Ignored.'),
  created_by: echoed('Ignored.'),
  created_at: echoed('Ignored.'),
  updated_at: echoed('Ignored.'),
  completed_at: echoed('Ignored.'),
  version: echoed('Ignored; send `If-Match` to make a write conditional.'),
};

/** POST and PUT: `title` is required; fields left out keep their value (PUT) or default (POST). */
export const TaskWriteBody = z.strictObject(taskWriteShape).openapi('TaskWrite');
export const TaskPatchBody = z.strictObject(taskWriteShape).partial().openapi('TaskPatch');

export const TaskSchema = z
  .object({
    id: Id,
    title: z.string(),
    description: z.string(),
    status: Status,
    assigned_to: Id.nullable(),
    created_by: Id,
    created_at: Instant,
    updated_at: Instant,
    completed_at: Instant.nullable(),
    version: z.int().openapi({ description: 'Increases by one on every change; the ETag.' }),
  })
  .openapi('Task');

export const ORDERINGS = TASK_ORDER_FIELDS.flatMap((field) => [field, `-${field}`] as const);

export const TaskListQuery = z.object({
  status: Status.optional(),
  assigned_to: z
    .union([z.enum(['me', 'none']), IdString], { error: 'Enter a user id, "me" or "none".' })
    .optional(),
  created_by: z
    .union([z.literal('me'), IdString], { error: 'Enter a user id or "me".' })
    .optional(),
  search: z.string().max(SEARCH_MAX).optional(),
  ordering: z.enum(ORDERINGS).optional().openapi({ default: 'id' }),
  limit: Limit,
  cursor: Cursor,
});

export const TaskIdParams = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    type: 'integer',
    example: '7',
  }),
});

// ---- errors ----

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().optional(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .openapi('Problem');
