// Every request body schema, fuzzed through app.request(): near-valid bodies built from the
// schema's fields, arbitrary JSON, and bytes that are not JSON at all.
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { PASSWORD } from '../harness.ts';
import {
  anyJson,
  anyString,
  contentType,
  dueAtLike,
  fuzzing,
  idLike,
  labelsLike,
  lazy,
  malformedJson,
  nearValidBody,
  priorityLike,
  validOrAny,
} from './arbitraries.ts';
import { expectHandledSafely, fuzzWorld, send, type World } from './world.ts';

const { parameters, timeout } = fuzzing({ inMemory: 100, postgres: 15 });
let w: World;

beforeAll(async () => {
  w = await fuzzWorld();
});

// Nothing fuzzed here knows a real refresh token, so the session it belongs to must survive.
afterAll(async () => {
  const refreshed = await w.h.request('POST', '/api/token/refresh/', {
    json: { refresh: w.ada.refresh },
  });
  expect(refreshed.status).toBe(200);
});

const taskFields = () => ({
  title: validOrAny(fc.string({ minLength: 1, maxLength: 60 })),
  description: validOrAny(fc.string({ maxLength: 100 })),
  status: validOrAny(fc.constantFrom('pending', 'completed')),
  assigned_to: fc.oneof(fc.constant(null), idLike(w.userIds)),
  project: fc.oneof(fc.constant(null), idLike(w.projectIds)),
  due_at: dueAtLike,
  priority: priorityLike,
  labels: labelsLike,
  id: anyJson,
  created_by: anyJson,
  version: anyJson,
  completed_at: anyJson,
});

const json = (body: unknown) => JSON.stringify(body);

describe('task bodies', () => {
  test.prop([fc.nat(), lazy(() => nearValidBody(taskFields()))], parameters)(
    'POST /api/tasks/',
    async (who, body) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('POST', '/api/tasks/', { token: party?.token, json: body }),
      );
    },
    timeout,
  );

  test.prop(
    [fc.constantFrom('PUT', 'PATCH'), fc.nat(), fc.nat(), lazy(() => nearValidBody(taskFields()))],
    parameters,
  )(
    'PUT and PATCH /api/tasks/{id}/, by each party',
    async (method, who, which, body) => {
      const party = w.parties[who % w.parties.length];
      const id = w.taskIds[which % w.taskIds.length];
      await expectHandledSafely(w.h, () =>
        w.h.request(method, `/api/tasks/${id}/`, { token: party?.token, json: body }),
      );
    },
    timeout,
  );
});

describe('comment bodies', () => {
  const commentFields = () => ({
    body: validOrAny(fc.string({ minLength: 1, maxLength: 60 })),
    id: anyJson,
    author: anyJson,
    created_at: anyJson,
    version: anyJson,
  });

  test.prop([fc.nat(), fc.nat(), lazy(() => nearValidBody(commentFields()))], parameters)(
    'POST /api/tasks/{id}/comments/, by each party on each task',
    async (who, which, body) => {
      const party = w.parties[who % w.parties.length];
      const id = w.taskIds[which % w.taskIds.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('POST', `/api/tasks/${id}/comments/`, { token: party?.token, json: body }),
      );
    },
    timeout,
  );

  test.prop([fc.nat(), lazy(() => nearValidBody(commentFields()))], parameters)(
    'PATCH /api/tasks/{id}/comments/{cid}/, by each party',
    async (who, body) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('PATCH', `/api/tasks/${w.taskIds[0]}/comments/${w.commentId}/`, {
          token: party?.token,
          json: body,
        }),
      );
    },
    timeout,
  );
});

const projectFields = () => ({
  name: validOrAny(fc.string({ minLength: 1, maxLength: 60 })),
  description: validOrAny(fc.string({ maxLength: 100 })),
  archived: validOrAny(fc.boolean()),
  owner: anyJson,
  role: anyJson,
  version: anyJson,
});

describe('project bodies', () => {
  test.prop([fc.nat(), lazy(() => nearValidBody(projectFields()))], parameters)(
    'POST /api/projects/',
    async (who, body) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('POST', '/api/projects/', { token: party?.token, json: body }),
      );
    },
    timeout,
  );

  test.prop([fc.nat(), fc.nat(), lazy(() => nearValidBody(projectFields()))], parameters)(
    'PATCH /api/projects/{id}/, by each party',
    async (who, which, body) => {
      const party = w.parties[who % w.parties.length];
      const id = w.projectIds[which % w.projectIds.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('PATCH', `/api/projects/${id}/`, { token: party?.token, json: body }),
      );
    },
    timeout,
  );

  test.prop(
    [
      fc.nat(),
      fc.nat(),
      lazy(() => idLike(w.userIds)),
      lazy(() =>
        nearValidBody({
          role: validOrAny(fc.constantFrom('owner', 'editor', 'viewer', 'admin')),
          user: anyJson,
          added_at: anyJson,
        }),
      ),
    ],
    parameters,
  )(
    'PUT /api/projects/{id}/members/{user_id}/, by each party',
    async (who, which, userId, body) => {
      const party = w.parties[who % w.parties.length];
      const id = w.projectIds[which % w.projectIds.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('PUT', `/api/projects/${id}/members/${String(userId)}/`, {
          token: party?.token,
          json: body,
        }),
      );
    },
    timeout,
  );
});

describe('account bodies', () => {
  const username = fc.oneof(
    fc.string({
      unit: fc.constantFrom(...'abcXYZ09@.+-_éß'.split('')),
      minLength: 1,
      maxLength: 20,
    }),
    anyString,
  );

  test.prop(
    [
      nearValidBody({
        username: validOrAny(username),
        password: validOrAny(fc.string({ minLength: 8, maxLength: 30 })),
        email: validOrAny(fc.oneof(fc.constant(''), fc.emailAddress())),
      }),
    ],
    parameters,
  )(
    'POST /register/',
    async (body) => {
      await expectHandledSafely(w.h, () => w.h.request('POST', '/register/', { json: body }));
    },
    timeout,
  );

  test.prop(
    [
      lazy(() =>
        nearValidBody({
          username: validOrAny(
            fc.constantFrom(w.ada.username, w.ada.username.toUpperCase(), 'nobody'),
          ),
          password: validOrAny(fc.constantFrom(PASSWORD, 'wrong password')),
        }),
      ),
    ],
    parameters,
  )(
    'POST /api/token/',
    async (body) => {
      await expectHandledSafely(w.h, () => w.h.request('POST', '/api/token/', { json: body }));
    },
    timeout,
  );

  test.prop(
    [
      fc.constantFrom('/api/token/refresh/', '/api/token/revoke/'),
      nearValidBody({ refresh: validOrAny(fc.base64String({ maxLength: 60 })) }),
    ],
    parameters,
  )(
    'POST /api/token/refresh/ and /api/token/revoke/',
    async (path, body) => {
      await expectHandledSafely(w.h, () => w.h.request('POST', path, { json: body }));
    },
    timeout,
  );
});

describe('API token bodies', () => {
  test.prop(
    [
      fc.nat(),
      nearValidBody({
        name: validOrAny(fc.string({ minLength: 1, maxLength: 110 })),
        scopes: validOrAny(fc.subarray(['read', 'write', 'admin'])),
        expires_at: validOrAny(
          fc.oneof(
            fc.constant(null),
            fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          ),
        ),
      }),
    ],
    parameters,
  )(
    'POST /api/tokens/, by each party',
    async (who, body) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('POST', '/api/tokens/', { token: party?.token, json: body }),
      );
    },
    timeout,
  );
});

describe('bodies that are not JSON objects', () => {
  const routes = () => [
    ['POST', '/api/tasks/', json({ title: 'x', assigned_to: w.bob.id })],
    ['PUT', `/api/tasks/${w.taskIds[0]}/`, json({ title: 'x' })],
    ['PATCH', `/api/tasks/${w.taskIds[0]}/`, json({ status: 'completed' })],
    ['POST', '/register/', json({ username: 'newcomer', password: PASSWORD })],
    ['POST', '/api/token/', json({ username: w.ada.username, password: PASSWORD })],
    ['POST', '/api/token/refresh/', json({ refresh: 'x' })],
    ['POST', '/api/token/revoke/', json({ refresh: 'x' })],
    ['POST', `/api/tasks/${w.taskIds[0]}/comments/`, json({ body: 'x' })],
    ['PATCH', `/api/tasks/${w.taskIds[0]}/comments/${w.commentId}/`, json({ body: 'x' })],
  ];

  test.prop(
    [
      fc.nat(),
      contentType,
      fc.oneof(
        lazy(() => fc.nat().chain((n) => malformedJson(routes()[n % routes().length]?.[2] ?? ''))),
        anyJson.map(json),
      ),
    ],
    parameters,
  )(
    'every route with a body, under any content type',
    async (which, type, body) => {
      const [method, path] = routes()[which % routes().length] as [string, string, string];
      await expectHandledSafely(w.h, () =>
        send(w.h, {
          method,
          path,
          headers: { Authorization: `Bearer ${w.ada.token}`, 'Content-Type': type },
          body,
        }),
      );
    },
    timeout,
  );
});
