import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createTask } from '../../../application/create-task.ts';
import { deleteTask } from '../../../application/delete-task.ts';
import { getTask } from '../../../application/get-task.ts';
import { listTasks } from '../../../application/list-tasks.ts';
import type { TaskKey, TaskOrderField } from '../../../application/ports/repositories.ts';
import { updateTask } from '../../../application/update-task.ts';
import { notFound } from '../../../domain/errors.ts';
import type { TaskChanges } from '../../../domain/task.ts';
import { etagOf, ifMatchVersions, noneMatch } from '../conditional.ts';
import type { AppEnv } from '../env.ts';
import { bearerSecurity, jsonBody, jsonResponse, nextLink, problemResponses } from '../openapi.ts';
import { taskResource } from '../representations.ts';
import {
  ID_MAX,
  LIMIT_DEFAULT,
  TaskIdParams,
  TaskListQuery,
  TaskPatchBody,
  TaskSchema,
  TaskWriteBody,
} from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

/** A path id that is not a positive integer names no task: 404, like any unknown id. */
function taskId(c: Context<AppEnv>): number {
  const raw = c.req.param('id') ?? '';
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
  if (id < 1 || id > ID_MAX) throw notFound('Task');
  return id;
}

function changesOf(body: z.infer<typeof TaskPatchBody>): TaskChanges {
  return {
    title: body.title,
    description: body.description,
    status: body.status,
    assignedTo: body.assigned_to,
  };
}

const ETagHeader = {
  ETag: { description: 'The version, quoted.', schema: { type: 'string' as const } },
};
const conditionalHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ description: 'Only write if the task is still this version.' }),
});

export function registerTaskRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  const { ports, cursors } = deps;
  const common = { tags: ['tasks'], middleware: deps.authenticated, security: bearerSecurity };

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/tasks/',
      summary: 'Tasks the caller created or is assigned (staff: all), one page at a time',
      request: { query: TaskListQuery },
      responses: {
        200: jsonResponse(z.array(TaskSchema), 'One page; `Link: <…>; rel="next"` names the next.'),
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const actor = c.get('actor');
      const ordering = query.ordering ?? 'id';
      const assignedTo = query.assigned_to;
      const page = await listTasks(ports, {
        viewer: actor,
        status: query.status,
        assignedTo: assignedTo === 'me' ? actor.id : assignedTo === 'none' ? null : assignedTo,
        createdBy: query.created_by === 'me' ? actor.id : query.created_by,
        search: query.search || undefined,
        ordering: {
          field: ordering.replace(/^-/, '') as TaskOrderField,
          descending: ordering.startsWith('-'),
        },
        after: query.cursor ? (cursors.decode(ordering, query.cursor) as TaskKey) : undefined,
        limit: query.limit ?? LIMIT_DEFAULT,
      });
      if (page.next !== null)
        c.header('Link', nextLink(c.req.url, cursors.encode(ordering, page.next)));
      return c.json(page.items.map(taskResource), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/tasks/',
      summary: 'Create a task; the caller is its creator',
      request: { body: jsonBody(TaskWriteBody) },
      responses: {
        201: { ...jsonResponse(TaskSchema, 'The new task.'), headers: ETagHeader },
        ...problemResponses(400, 401, 413, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const task = await createTask(ports, {
        actor: c.get('actor'),
        fields: { ...changesOf(body), title: body.title },
      });
      c.header('Location', `/api/tasks/${task.id}/`);
      c.header('ETag', etagOf(task.version));
      return c.json(taskResource(task), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/tasks/{id}/',
      summary: 'One task',
      request: {
        params: TaskIdParams,
        headers: z.object({ 'if-none-match': z.string().optional() }),
      },
      responses: {
        200: { ...jsonResponse(TaskSchema, 'The task.'), headers: ETagHeader },
        304: { description: '`If-None-Match` names the current version.' },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const task = await getTask(ports, { actor: c.get('actor'), id: taskId(c) });
      c.header('ETag', etagOf(task.version));
      if (noneMatch(c.req.header('If-None-Match'), task.version)) return c.body(null, 304);
      return c.json(taskResource(task), 200);
    },
  );

  const update = (method: 'put' | 'patch', body: typeof TaskWriteBody | typeof TaskPatchBody) =>
    app.openapi(
      createRoute({
        ...common,
        method,
        path: '/api/tasks/{id}/',
        summary:
          method === 'put'
            ? 'Replace a task: `title` required; fields left out keep their value'
            : 'Change some fields of a task',
        description:
          'The creator and staff may change anything; the assignee only `status`. ' +
          'A field sent with its current value is no change.',
        request: { params: TaskIdParams, headers: conditionalHeaders, body: jsonBody(body) },
        responses: {
          200: { ...jsonResponse(TaskSchema, 'The task after the change.'), headers: ETagHeader },
          ...problemResponses(400, 401, 403, 404, 412, 413, 415, 429),
        },
      }),
      async (c) => {
        const task = await updateTask(ports, {
          actor: c.get('actor'),
          id: taskId(c),
          changes: changesOf(c.req.valid('json')),
          ifMatch: ifMatchVersions(c.req.header('If-Match')),
        });
        c.header('ETag', etagOf(task.version));
        return c.json(taskResource(task), 200);
      },
    );
  update('put', TaskWriteBody);
  update('patch', TaskPatchBody);

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/api/tasks/{id}/',
      summary: 'Delete a task (creator or staff)',
      request: { params: TaskIdParams, headers: conditionalHeaders },
      responses: {
        204: { description: 'Deleted.' },
        ...problemResponses(401, 403, 404, 412, 429),
      },
    }),
    async (c) => {
      await deleteTask(ports, {
        actor: c.get('actor'),
        id: taskId(c),
        ifMatch: ifMatchVersions(c.req.header('If-Match')),
      });
      return c.body(null, 204);
    },
  );
}
