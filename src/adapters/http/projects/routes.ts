import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createProject } from '../../../application/projects/create-project.ts';
import { deleteProject } from '../../../application/projects/delete-project.ts';
import { getProject } from '../../../application/projects/get-project.ts';
import { listMembers } from '../../../application/projects/list-members.ts';
import { listProjects } from '../../../application/projects/list-projects.ts';
import { putMember } from '../../../application/projects/put-member.ts';
import { removeMember } from '../../../application/projects/remove-member.ts';
import { updateProject } from '../../../application/projects/update-project.ts';
import {
  conditionalWrite,
  ETagHeader,
  etagOf,
  IfMatchHeaders,
  IfNoneMatchHeaders,
  noneMatch,
} from '../conditional.ts';
import type { AppEnv } from '../env.ts';
import { featureApp, type RouteDeps } from '../feature-app.ts';
import { idParams, pathId } from '../fields.ts';
import { bearerSecurity, jsonBody, jsonResponse, problemResponses } from '../openapi.ts';
import {
  MemberBody,
  MemberListParams,
  MemberSchema,
  memberResource,
  ProjectCreateBody,
  ProjectListParams,
  ProjectPatchBody,
  ProjectSchema,
  projectChanges,
  projectResource,
} from './schemas.ts';

const PROJECTS_CURSOR = 'projects';
const MEMBERS_CURSOR = 'members';
const ProjectIdParams = idParams('id');
const MemberParams = idParams('id').extend(idParams('user_id').shape);

const projectWrite = (c: Context<AppEnv>) => conditionalWrite(c, 'Project');

/** Projects, shared task lists, and their members. */
export function projectRoutes({ deps, paging, authenticated }: RouteDeps) {
  const app = featureApp();
  const common = { tags: ['projects'], middleware: authenticated, security: bearerSecurity };
  const ownersOnly = 'Owners of the project and staff.';

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/projects/',
      summary: "The caller's projects (staff: all), one page at a time",
      request: { query: ProjectListParams },
      responses: {
        200: jsonResponse(
          z.array(ProjectSchema),
          'One page; `Link: <…>; rel="next"` names the next.',
        ),
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listProjects(deps, {
        viewer: c.get('actor'),
        search: query.search || undefined,
        archived: query.archived,
        ...paging.byId(PROJECTS_CURSOR, query),
      });
      return c.json(paging.items(c, PROJECTS_CURSOR, page, projectResource), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/projects/',
      summary: 'Create a project; the caller is its owner',
      request: { body: jsonBody(ProjectCreateBody) },
      responses: {
        201: { ...jsonResponse(ProjectSchema, 'The new project.'), headers: ETagHeader },
        ...problemResponses(400, 401, 413, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const view = await createProject(deps, {
        actor: c.get('actor'),
        fields: { name: body.name, description: body.description },
      });
      c.header('Location', `/api/projects/${view.project.id}/`);
      c.header('ETag', etagOf(view.project.version));
      return c.json(projectResource(view), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/projects/{id}/',
      summary: 'One project (members and staff)',
      request: {
        params: ProjectIdParams,
        headers: IfNoneMatchHeaders,
      },
      responses: {
        200: { ...jsonResponse(ProjectSchema, 'The project.'), headers: ETagHeader },
        304: { description: '`If-None-Match` names the current version.' },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const view = await getProject(deps, {
        actor: c.get('actor'),
        id: pathId(c, 'id', 'Project'),
      });
      c.header('ETag', etagOf(view.project.version));
      if (noneMatch(c.req.header('If-None-Match'), view.project.version)) return c.body(null, 304);
      return c.json(projectResource(view), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'patch',
      path: '/api/projects/{id}/',
      summary: 'Rename, describe, archive or restore a project',
      description: ownersOnly,
      request: {
        params: ProjectIdParams,
        headers: IfMatchHeaders,
        body: jsonBody(ProjectPatchBody),
      },
      responses: {
        200: {
          ...jsonResponse(ProjectSchema, 'The project after the change.'),
          headers: ETagHeader,
        },
        ...problemResponses(400, 401, 403, 404, 412, 413, 415, 429),
      },
    }),
    async (c) => {
      const view = await updateProject(deps, {
        ...projectWrite(c),
        changes: projectChanges(c.req.valid('json')),
      });
      c.header('ETag', etagOf(view.project.version));
      return c.json(projectResource(view), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/api/projects/{id}/',
      summary: 'Delete a project that holds no tasks',
      description: `${ownersOnly} A project that still holds tasks: 409 \`project_not_empty\`.`,
      request: { params: ProjectIdParams, headers: IfMatchHeaders },
      responses: {
        204: { description: 'Deleted, with its memberships.' },
        ...problemResponses(401, 403, 404, 409, 412, 429),
      },
    }),
    async (c) => {
      await deleteProject(deps, projectWrite(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/projects/{id}/members/',
      summary: "A project's members, by user id (members and staff)",
      request: { params: ProjectIdParams, query: MemberListParams },
      responses: {
        200: jsonResponse(
          z.array(MemberSchema),
          'One page; `Link: <…>; rel="next"` names the next.',
        ),
        ...problemResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const { afterId, limit } = paging.byId(MEMBERS_CURSOR, c.req.valid('query'));
      const page = await listMembers(deps, {
        actor: c.get('actor'),
        id: pathId(c, 'id', 'Project'),
        afterUserId: afterId,
        limit,
      });
      return c.json(paging.items(c, MEMBERS_CURSOR, page, memberResource), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'put',
      path: '/api/projects/{id}/members/{user_id}/',
      summary: "Add a member, or change a member's role",
      description: `${ownersOnly} Demoting the last owner: 409 \`last_owner\`.`,
      request: { params: MemberParams, body: jsonBody(MemberBody) },
      responses: {
        200: jsonResponse(MemberSchema, 'The role changed.'),
        201: jsonResponse(MemberSchema, 'The member added.'),
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429),
      },
    }),
    async (c) => {
      const { member, added } = await putMember(deps, {
        ...projectWrite(c),
        userId: memberId(c),
        role: c.req.valid('json').role,
      });
      return c.json(memberResource(member), added ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/api/projects/{id}/members/{user_id}/',
      summary: 'Remove a member, or leave a project',
      description: `${ownersOnly} Any member may remove themself. Removing the last owner: 409 \`last_owner\`.`,
      request: { params: MemberParams },
      responses: {
        204: { description: 'Removed.' },
        ...problemResponses(401, 403, 404, 409, 429),
      },
    }),
    async (c) => {
      await removeMember(deps, { ...projectWrite(c), userId: memberId(c) });
      return c.body(null, 204);
    },
  );

  return app;
}

/** A user id in the path that names nobody names no member either. */
const memberId = (c: Context<AppEnv>) => pathId(c, 'user_id', 'Member');
