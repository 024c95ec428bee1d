import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { addComment } from '../../../application/comments/add-comment.ts';
import { deleteComment } from '../../../application/comments/delete-comment.ts';
import { editComment } from '../../../application/comments/edit-comment.ts';
import { getComment } from '../../../application/comments/get-comment.ts';
import { listComments } from '../../../application/comments/list-comments.ts';
import { listTaskHistory } from '../../../application/tasks/list-task-history.ts';
import {
  ETagHeader,
  etagOf,
  IfMatchHeaders,
  IfNoneMatchHeaders,
  ifMatchVersions,
  noneMatch,
} from '../conditional.ts';
import type { AppEnv } from '../env.ts';
import { featureApp, type RouteDeps } from '../feature-app.ts';
import { idParams, PageQuery, pathId } from '../fields.ts';
import { bearerSecurity, jsonBody, jsonResponse, problemResponses } from '../openapi.ts';
import {
  CommentBody,
  CommentSchema,
  commentResource,
  HistoryEntrySchema,
  historyResource,
} from './schemas.ts';

const COMMENTS_CURSOR = 'comments';
const HISTORY_CURSOR = 'history';

const TaskParams = idParams('id');
const CommentParams = TaskParams.extend(idParams('cid').shape);
const taskId = (c: Context<AppEnv>) => pathId(c, 'id', 'Task');

/** Who writes, to which comment, on which condition. */
const commentWrite = (c: Context<AppEnv>) => ({
  actor: c.get('actor'),
  taskId: taskId(c),
  id: pathId(c, 'cid', 'Comment'),
  ifMatch: ifMatchVersions(c.req.header('If-Match')),
});

/**
 * A task's comments and its history. Whoever cannot see the task gets 404 on every route; a
 * comment changes neither the task's version nor its ETag.
 */
export function commentRoutes({ deps, paging, authenticated }: RouteDeps) {
  const app = featureApp();
  const comments = { tags: ['comments'], middleware: authenticated, security: bearerSecurity };

  app.openapi(
    createRoute({
      ...comments,
      method: 'get',
      path: '/api/tasks/{id}/comments/',
      summary: "A task's comments, oldest first, one page at a time",
      request: { params: TaskParams, query: PageQuery },
      responses: {
        200: jsonResponse(
          z.array(CommentSchema),
          'One page; `Link: <…>; rel="next"` names the next.',
        ),
        ...problemResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const page = await listComments(deps, {
        actor: c.get('actor'),
        taskId: taskId(c),
        ...paging.byId(COMMENTS_CURSOR, c.req.valid('query')),
      });
      return c.json(paging.items(c, COMMENTS_CURSOR, page, commentResource), 200);
    },
  );

  app.openapi(
    createRoute({
      ...comments,
      method: 'post',
      path: '/api/tasks/{id}/comments/',
      summary: 'Comment on a task: anyone who sees it may',
      description: "Records a `commented` entry in the task's history; the task's version stays.",
      request: { params: TaskParams, body: jsonBody(CommentBody) },
      responses: {
        201: { ...jsonResponse(CommentSchema, 'The new comment.'), headers: ETagHeader },
        ...problemResponses(400, 401, 403, 404, 413, 415, 429),
      },
    }),
    async (c) => {
      const added = await addComment(deps, {
        actor: c.get('actor'),
        taskId: taskId(c),
        body: c.req.valid('json').body,
      });
      const { comment } = added;
      c.header('Location', `/api/tasks/${comment.taskId}/comments/${comment.id}/`);
      c.header('ETag', etagOf(comment.version));
      return c.json(commentResource(added), 201);
    },
  );

  app.openapi(
    createRoute({
      ...comments,
      method: 'get',
      path: '/api/tasks/{id}/comments/{cid}/',
      summary: 'One comment',
      request: { params: CommentParams, headers: IfNoneMatchHeaders },
      responses: {
        200: { ...jsonResponse(CommentSchema, 'The comment.'), headers: ETagHeader },
        304: { description: '`If-None-Match` names the current version.' },
        ...problemResponses(401, 404, 429),
      },
    }),
    async (c) => {
      const found = await getComment(deps, {
        actor: c.get('actor'),
        taskId: taskId(c),
        id: pathId(c, 'cid', 'Comment'),
      });
      const { version } = found.comment;
      c.header('ETag', etagOf(version));
      if (noneMatch(c.req.header('If-None-Match'), version)) return c.body(null, 304);
      return c.json(commentResource(found), 200);
    },
  );

  app.openapi(
    createRoute({
      ...comments,
      method: 'patch',
      path: '/api/tasks/{id}/comments/{cid}/',
      summary: 'Edit a comment (its author only)',
      description: "`If-Match` names the comment's version. The same body is no change.",
      request: { params: CommentParams, headers: IfMatchHeaders, body: jsonBody(CommentBody) },
      responses: {
        200: { ...jsonResponse(CommentSchema, 'The comment after the edit.'), headers: ETagHeader },
        ...problemResponses(400, 401, 403, 404, 412, 413, 415, 429),
      },
    }),
    async (c) => {
      const edited = await editComment(deps, {
        ...commentWrite(c),
        body: c.req.valid('json').body,
      });
      c.header('ETag', etagOf(edited.comment.version));
      return c.json(commentResource(edited), 200);
    },
  );

  app.openapi(
    createRoute({
      ...comments,
      method: 'delete',
      path: '/api/tasks/{id}/comments/{cid}/',
      summary: "Delete a comment (its author, an owner of the task's project, staff)",
      request: { params: CommentParams, headers: IfMatchHeaders },
      responses: {
        204: { description: 'Deleted.' },
        ...problemResponses(401, 403, 404, 412, 429),
      },
    }),
    async (c) => {
      await deleteComment(deps, commentWrite(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      tags: ['history'],
      middleware: authenticated,
      security: bearerSecurity,
      method: 'get',
      path: '/api/tasks/{id}/history/',
      summary: "A task's history, newest first, one page at a time",
      description:
        'One entry per write: `created`, `updated`, `completed`, `reopened`, `commented`. ' +
        'A write that changes nothing records nothing.',
      request: { params: TaskParams, query: PageQuery },
      responses: {
        200: jsonResponse(z.array(HistoryEntrySchema), 'One page; `Link` names the next.'),
        ...problemResponses(400, 401, 404, 429),
      },
    }),
    async (c) => {
      const { afterId, limit } = paging.byId(HISTORY_CURSOR, c.req.valid('query'));
      const page = await listTaskHistory(deps, {
        actor: c.get('actor'),
        taskId: taskId(c),
        beforeId: afterId,
        limit,
      });
      return c.json(paging.items(c, HISTORY_CURSOR, page, historyResource), 200);
    },
  );

  return app;
}
