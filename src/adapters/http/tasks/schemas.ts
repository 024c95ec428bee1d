import { z } from '@hono/zod-openapi';
import { TASK_ORDER_FIELDS } from '../../../application/ports/tasks.ts';
import {
  DESCRIPTION_MAX,
  TASK_STATUSES,
  type Task,
  type TaskChanges,
  TITLE_MAX,
} from '../../../domain/task.ts';
import { Cursor, echoed, Id, IdString, Instant, Limit } from '../fields.ts';

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

const taskWriteShape = {
  title: Title,
  description: Description.optional(),
  status: Status.optional(),
  assigned_to: Assignee.optional(),
  project: ProjectRef.optional(),
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
  created_by: task.createdBy,
  created_at: task.createdAt.toISOString(),
  updated_at: task.updatedAt.toISOString(),
  completed_at: task.completedAt?.toISOString() ?? null,
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
  ordering: z.enum(ORDERINGS).optional().openapi({ default: 'id' }),
  limit: Limit,
  cursor: Cursor,
});
