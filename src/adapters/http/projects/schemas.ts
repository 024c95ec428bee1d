import { z } from '@hono/zod-openapi';
import type { Member, ProjectView } from '../../../application/ports/projects.ts';
import { PROJECT_NAME_MAX, type ProjectChanges } from '../../../domain/project.ts';
import { PROJECT_ROLES } from '../../../domain/rights.ts';
import { DESCRIPTION_MAX } from '../../../domain/task.ts';
import { Cursor, echoed, Id, Instant, Limit } from '../fields.ts';
import { instant } from '../instants.ts';
import { SEARCH_MAX } from '../tasks/schemas.ts';

const Role = z.enum(PROJECT_ROLES);

const projectWriteShape = {
  name: z.string().openapi({
    minLength: 1,
    maxLength: PROJECT_NAME_MAX,
    description: 'Trimmed; length in code points.',
    example: 'Website relaunch',
  }),
  description: z.string().openapi({ maxLength: DESCRIPTION_MAX, default: '' }).optional(),
  id: echoed('Ignored.'),
  owner: echoed('Ignored.'),
  role: echoed('Ignored.'),
  created_at: echoed('Ignored.'),
  updated_at: echoed('Ignored.'),
  version: echoed('Ignored; send `If-Match` to make a write conditional.'),
};

/** POST: `name` is required; the caller becomes the project's owner. */
export const ProjectCreateBody = z
  .strictObject({ ...projectWriteShape, archived: echoed('Ignored: a new project is open.') })
  .openapi('ProjectCreate');

export const ProjectPatchBody = z
  .strictObject({
    ...projectWriteShape,
    archived: z
      .boolean()
      .optional()
      .openapi({ description: 'An archived project takes no new tasks.' }),
  })
  .partial()
  .openapi('ProjectPatch');

export function projectChanges(body: z.infer<typeof ProjectPatchBody>): ProjectChanges {
  return { name: body.name, description: body.description, archived: body.archived };
}

const UserRefSchema = z.object({ id: Id, username: z.string() }).openapi('UserRef');

export const ProjectSchema = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string(),
    owner: UserRefSchema.openapi({ description: 'The longest-standing owner.' }),
    role: Role.nullable().openapi({
      description: "The caller's role; null for staff who are not members.",
    }),
    archived: z.boolean(),
    created_at: Instant,
    updated_at: Instant,
    version: z.int().openapi({ description: 'Increases by one on every change; the ETag.' }),
  })
  .openapi('Project');

export const projectResource = ({
  project,
  owner,
  role,
}: ProjectView): z.infer<typeof ProjectSchema> => ({
  id: project.id,
  name: project.name,
  description: project.description,
  owner,
  role,
  archived: project.archived,
  created_at: instant(project.createdAt),
  updated_at: instant(project.updatedAt),
  version: project.version,
});

export const ProjectListParams = z.object({
  search: z.string().max(SEARCH_MAX).optional(),
  archived: z
    .enum(['true', 'false'], { error: 'Enter "true" or "false".' })
    .transform((value) => value === 'true')
    .optional()
    .openapi({ type: 'boolean' }),
  limit: Limit,
  cursor: Cursor,
});

export const MemberBody = z
  .strictObject({
    role: Role,
    user: echoed('Ignored: the user is the one in the path.'),
    added_at: echoed('Ignored.'),
  })
  .openapi('MemberWrite');

export const MemberSchema = z
  .object({ user: UserRefSchema, role: Role, added_at: Instant })
  .openapi('Member');

export const memberResource = (member: Member): z.infer<typeof MemberSchema> => ({
  user: member.user,
  role: member.role,
  added_at: instant(member.addedAt),
});

export const MemberListParams = z.object({ limit: Limit, cursor: Cursor });
