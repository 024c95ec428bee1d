import { z } from '@hono/zod-openapi';
import { TASK_ORDER_FIELDS, type TaskOrderField } from '../../../application/ports/tasks.ts';
import { LABEL_MAX, LABELS_MAX } from '../../../domain/labels.ts';
import { PRIORITIES } from '../../../domain/priority.ts';
import {
  DESCRIPTION_MAX,
  TASK_STATUSES,
  type Task,
  type TaskChanges,
  TITLE_MAX,
} from '../../../domain/task.ts';
import type { Actor } from '../../../domain/user.ts';
import { Cursor, echoed, Id, IdString, Instant, Limit } from '../fields.ts';
import { instant, instantOrNull } from '../instants.ts';

export const SEARCH_MAX = 200;

const Title = z
  .string()
  .openapi({ minLength: 1, maxLength: TITLE_MAX, description: 'Trimmed; length in code points.' });
const Description = z.string().openapi({ maxLength: DESCRIPTION_MAX, default: '' });
const Status = z.enum(TASK_STATUSES);
const Assignee = Id.nullable().openapi({
  description: "Id of an active user, or null; in a project, one of the project's members.",
});
const ProjectRef = Id.nullable().openapi({
  description: 'Id of a project the caller is an editor or owner of, or null.',
});
const Priority = z.enum(PRIORITIES);
/** An ISO 8601 date and time with `Z` or an offset. */
const Timestamp = z.iso
  .datetime({ offset: true, error: 'Enter a date and time with a time zone offset.' })
  .openapi({ example: '2026-11-24T17:00:00+01:00' });
const DueAt = Timestamp.nullable().openapi({
  description: 'When the task is due, or null; returned in UTC.',
});
const Labels = z.array(z.string()).openapi({
  maxItems: LABELS_MAX,
  items: { type: 'string', minLength: 1, maxLength: LABEL_MAX },
  description:
    'Trimmed, no commas; duplicates (ignoring case) merged, first spelling kept; sorted ignoring case. Replaces the whole set.',
});

const taskWriteShape = {
  title: Title,
  description: Description.optional(),
  status: Status.optional(),
  assigned_to: Assignee.optional(),
  project: ProjectRef.optional(),
  due_at: DueAt.optional(),
  priority: Priority.optional().openapi({ default: 'none' }),
  labels: Labels.optional().openapi({ default: [] }),
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

/** The domain's changes from a write body: the wire's names mapped to the entity's. */
export function taskChanges(body: z.infer<typeof TaskPatchBody>): TaskChanges {
  return {
    title: body.title,
    description: body.description,
    status: body.status,
    assignedTo: body.assigned_to,
    projectId: body.project,
    dueAt: body.due_at === undefined || body.due_at === null ? body.due_at : new Date(body.due_at),
    priority: body.priority,
    labels: body.labels,
  };
}

export const TaskSchema = z
  .object({
    id: Id,
    title: z.string(),
    description: z.string(),
    status: Status,
    assigned_to: Id.nullable(),
    project: Id.nullable(),
    due_at: Instant.nullable(),
    priority: Priority,
    labels: z.array(z.string()),
    created_by: Id,
    created_at: Instant,
    updated_at: Instant,
    completed_at: Instant.nullable(),
    version: z.int().openapi({ description: 'Increases by one on every change; the ETag.' }),
  })
  .openapi('Task');

export const taskResource = (task: Task): z.infer<typeof TaskSchema> => ({
  id: task.id,
  title: task.title,
  description: task.description,
  status: task.status,
  assigned_to: task.assignedTo,
  project: task.projectId,
  due_at: instantOrNull(task.dueAt),
  priority: task.priority,
  labels: [...task.labels],
  created_by: task.createdBy,
  created_at: instant(task.createdAt),
  updated_at: instant(task.updatedAt),
  completed_at: instantOrNull(task.completedAt),
  version: task.version,
});

export const ORDERINGS = TASK_ORDER_FIELDS.flatMap((field) => [field, `-${field}`] as const);

export const TaskListParams = z.object({
  status: Status.optional(),
  assigned_to: z
    .union([z.enum(['me', 'none']), IdString], { error: 'Enter a user id, "me" or "none".' })
    .optional(),
  created_by: z
    .union([z.literal('me'), IdString], { error: 'Enter a user id or "me".' })
    .optional(),
  project: z
    .union([z.literal('none'), IdString], { error: 'Enter a project id or "none".' })
    .optional(),
  search: z.string().max(SEARCH_MAX).optional(),
  due_before: Timestamp.optional().openapi({ description: 'Due strictly before; undated never.' }),
  due_after: Timestamp.optional().openapi({ description: 'Due strictly after; undated never.' }),
  overdue: z
    .enum(['true', 'false'], { error: 'Enter true or false.' })
    .optional()
    .openapi({ description: '`true`: pending and due before now.' }),
  priority: Priority.optional(),
  // One value arrives as a string, a repeated parameter as an array.
  label: z
    .union([z.string(), z.array(z.string())])
    .transform((label) => (typeof label === 'string' ? [label] : label))
    .optional()
    .openapi({
      type: 'array',
      items: { type: 'string' },
      description: 'Has this label (ignoring case); repeat for tasks with every one.',
    }),
  ordering: z.enum(ORDERINGS).optional().openapi({ default: 'id' }),
  limit: Limit,
  cursor: Cursor,
});

/**
 * What a validated list query asks the list use case for, but its page: shared by the API and
 * the console, so both offer the same filters and orderings.
 */
export function taskListFilters(query: z.infer<typeof TaskListParams>, actor: Actor) {
  const ordering = query.ordering ?? 'id';
  const assignedTo = query.assigned_to;
  return {
    ordering,
    input: {
      viewer: actor,
      status: query.status,
      assignedTo: assignedTo === 'me' ? actor.id : assignedTo === 'none' ? null : assignedTo,
      createdBy: query.created_by === 'me' ? actor.id : query.created_by,
      project: query.project === 'none' ? null : query.project,
      search: query.search || undefined,
      dueBefore: query.due_before === undefined ? undefined : new Date(query.due_before),
      dueAfter: query.due_after === undefined ? undefined : new Date(query.due_after),
      overdue: query.overdue === 'true',
      priority: query.priority,
      labels: query.label,
      ordering: {
        field: ordering.replace(/^-/, '') as TaskOrderField,
        descending: ordering.startsWith('-'),
      },
    },
  };
}
