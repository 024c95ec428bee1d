import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TaskKey } from '../../../application/ports/tasks.ts';
import { createTask } from '../../../application/tasks/create-task.ts';
import { deleteTask } from '../../../application/tasks/delete-task.ts';
import { getTask } from '../../../application/tasks/get-task.ts';
import { listTasks } from '../../../application/tasks/list-tasks.ts';
import { updateTask } from '../../../application/tasks/update-task.ts';
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
import { idParams, LIMIT_DEFAULT, pathId } from '../fields.ts';
import { bearerSecurity, jsonBody, jsonResponse, problemResponses } from '../openapi.ts';
import {
  TaskListParams,
  TaskPatchBody,
  TaskSchema,
  TaskWriteBody,
  taskChanges,
  taskListFilters,
  taskResource,
} from './schemas.ts';

const TaskIdParams = idParams('id');

const taskWrite = (c: Context<AppEnv>) => conditionalWrite(c, 'Task');

/** The task list and the task resource. */
export function taskRoutes({ deps, paging, authenticated }: RouteDeps) {
  const app = featureApp();
  const common = { tags: ['tasks'], middleware: authenticated, security: bearerSecurity };

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/tasks/',
      summary:
        "Tasks the caller created or is assigned and their projects' tasks (staff: all), one page at a time",
      request: { query: TaskListParams },
      responses: {
        200: jsonResponse(z.array(TaskSchema), 'One page; `Link: <…>; rel="next"` names the next.'),
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { ordering, input } = taskListFilters(query, c.get('actor'));
      const page = await listTasks(deps, {
        ...input,
        after: paging.after<TaskKey>(ordering, query.cursor),
        limit: query.limit ?? LIMIT_DEFAULT,
      });
      return c.json(paging.items(c, ordering, page, taskResource), 200);
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
      const task = await createTask(deps, {
        actor: c.get('actor'),
        fields: { ...taskChanges(body), title: body.title },
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
        headers: IfNoneMatchHeaders,
      },
      responses: {
        200: { ...jsonResponse(TaskSchema, 'The task.'), headers: ETagHeader },
        304: { description: '`If-None-Match` names the current version.' },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const task = await getTask(deps, { actor: c.get('actor'), id: pathId(c, 'id', 'Task') });
      c.header('ETag', etagOf(task.version));
      if (noneMatch(c.req.header('If-None-Match'), task.version)) return c.body(null, 304);
      return c.json(taskResource(task), 200);
    },
  );

  for (const [method, body] of [
    ['put', TaskWriteBody],
    ['patch', TaskPatchBody],
  ] as const)
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
          "The creator, the project's editors and owners, and staff may change anything; the " +
          'assignee only `status`; viewers of the project nothing. ' +
          'A field sent with its current value is no change.',
        request: { params: TaskIdParams, headers: IfMatchHeaders, body: jsonBody(body) },
        responses: {
          200: { ...jsonResponse(TaskSchema, 'The task after the change.'), headers: ETagHeader },
          ...problemResponses(400, 401, 403, 404, 412, 413, 415, 429),
        },
      }),
      async (c) => {
        const task = await updateTask(deps, {
          ...taskWrite(c),
          changes: taskChanges(c.req.valid('json')),
        });
        c.header('ETag', etagOf(task.version));
        return c.json(taskResource(task), 200);
      },
    );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/api/tasks/{id}/',
      summary: "Delete a task (creator, the project's editors and owners, staff)",
      request: { params: TaskIdParams, headers: IfMatchHeaders },
      responses: {
        204: { description: 'Deleted.' },
        ...problemResponses(401, 403, 404, 412, 429),
      },
    }),
    async (c) => {
      await deleteTask(deps, taskWrite(c));
      return c.body(null, 204);
    },
  );

  return app;
}
