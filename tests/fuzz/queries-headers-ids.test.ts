// Query strings, path ids and the request headers the service reads (Authorization, If-Match,
// If-None-Match, X-Request-Id, Content-Type), fuzzed through app.request().
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe } from 'vitest';
import { nextPath } from '../harness.ts';
import {
  anyJson,
  authorization,
  contentType,
  dueAtLike,
  entityTags,
  fuzzing,
  headerValue,
  labelQuery,
  lazy,
  pathId,
  priorityLike,
  queryString,
} from './arbitraries.ts';
import { expectHandledSafely, fuzzWorld, send, type World } from './world.ts';

const { parameters, timeout } = fuzzing({ inMemory: 150, postgres: 20 });
let w: World;
/** Real cursors, to be replayed, mangled and moved between orderings. */
let cursors: string[];

beforeAll(async () => {
  w = await fuzzWorld();
  cursors = [];
  for (const path of [
    '/api/tasks/?limit=1',
    '/api/tasks/?limit=1&ordering=-title',
    '/api/users/?limit=1',
    '/api/projects/?limit=1',
    `/api/tasks/${w.taskIds[1]}/history/?limit=1`,
  ]) {
    const next = nextPath(await w.h.request('GET', path, { token: w.staff.token }));
    const cursor = next && new URL(next, 'http://localhost').searchParams.get('cursor');
    if (cursor) cursors.push(cursor);
  }
});

const cursor = lazy(() =>
  fc.oneof(
    fc.constantFrom(...cursors),
    fc
      .tuple(fc.constantFrom(...cursors), fc.nat(), fc.string({ maxLength: 2 }))
      .map(
        ([real, at, junk]) =>
          real.slice(0, at % real.length) + junk + real.slice((at % real.length) + 1),
      ),
    fc.base64String({ maxLength: 40 }),
  ),
);

const ids = lazy(() =>
  fc.constantFrom(...w.userIds.map(String), 'me', 'none', '0', '-1', '99999999999'),
);

describe('query strings', () => {
  test.prop(
    [
      fc.nat(),
      lazy(() =>
        queryString({
          status: fc.constantFrom('pending', 'completed', 'PENDING', ''),
          assigned_to: ids,
          created_by: ids,
          project: fc.constantFrom(...w.projectIds.map(String), 'none', 'null', '0', '-1', '1.5'),
          search: fc.string({ maxLength: 20 }),
          due_before: dueAtLike.map(String),
          due_after: dueAtLike.map(String),
          overdue: fc.constantFrom('true', 'false', 'True', '1', ''),
          priority: priorityLike.map(String),
          label: labelQuery,
          ordering: fc.constantFrom(
            'id',
            '-id',
            'title',
            '-title',
            'created_at',
            '-updated_at',
            'due_at',
            '-due_at',
            'priority',
            '-priority',
            '--id',
            'password',
          ),
          limit: fc.oneof(
            fc.integer({ min: -3, max: 300 }).map(String),
            fc.constantFrom('1e3', '0x10', '', '1.0'),
          ),
          cursor,
        }),
      ),
    ],
    parameters,
  )(
    'GET /api/tasks/',
    async (who, query) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('GET', `/api/tasks/?${query}`, { token: party?.token }),
      );
    },
    timeout,
  );

  test.prop(
    [
      lazy(() =>
        queryString({
          search: fc.string({ maxLength: 20 }),
          limit: fc.integer({ min: -3, max: 300 }).map(String),
          cursor,
        }),
      ),
    ],
    parameters,
  )(
    'GET /api/users/',
    async (query) => {
      await expectHandledSafely(w.h, () =>
        w.h.request('GET', `/api/users/?${query}`, { token: w.eve.token }),
      );
    },
    timeout,
  );
});

describe('comment and history list queries', () => {
  test.prop(
    [
      fc.nat(),
      fc.constantFrom('comments', 'history'),
      lazy(() =>
        queryString({
          limit: fc.oneof(
            fc.integer({ min: -3, max: 300 }).map(String),
            fc.constantFrom('', '1e3'),
          ),
          cursor,
        }),
      ),
    ],
    parameters,
  )(
    'GET /api/tasks/{id}/comments/ and /history/, by each party',
    async (who, list, query) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request('GET', `/api/tasks/${w.taskIds[0]}/${list}/?${query}`, {
          token: party?.token,
        }),
      );
    },
    timeout,
  );
});

describe('project query strings', () => {
  test.prop(
    [
      fc.nat(),
      lazy(() =>
        queryString({
          search: fc.string({ maxLength: 20 }),
          archived: fc.constantFrom('true', 'false', 'TRUE', '1', ''),
          limit: fc.integer({ min: -3, max: 300 }).map(String),
          cursor,
        }),
      ),
    ],
    parameters,
  )(
    'GET /api/projects/ and its members',
    async (who, query) => {
      const party = w.parties[who % w.parties.length];
      for (const path of ['/api/projects/', `/api/projects/${w.projectIds[0]}/members/`])
        await expectHandledSafely(w.h, () =>
          w.h.request('GET', `${path}?${query}`, { token: party?.token }),
        );
    },
    timeout,
  );
});

const TASK_ROUTES = ['GET', 'PUT', 'PATCH', 'DELETE'] as const;

describe('path ids', () => {
  test.prop([fc.constantFrom(...TASK_ROUTES), pathId, fc.nat()], parameters)(
    'every task route, whatever sits where the id goes',
    async (method, id, who) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request(method, `/api/tasks/${id}/`, {
          token: party?.token,
          ...(method === 'PUT' || method === 'PATCH' ? { json: { status: 'completed' } } : {}),
        }),
      );
    },
    timeout,
  );
});

describe('comment and history path ids', () => {
  const routes = [
    ['GET', 'comments/'],
    ['POST', 'comments/'],
    ['GET', 'history/'],
    ['GET', 'comments/{cid}/'],
    ['PATCH', 'comments/{cid}/'],
    ['DELETE', 'comments/{cid}/'],
  ] as const;

  test.prop(
    [
      fc.constantFrom(...routes),
      fc.oneof(
        pathId,
        lazy(() => fc.constant(String(w.taskIds[0]))),
      ),
      pathId,
      fc.nat(),
    ],
    parameters,
  )(
    'every comment and history route, whatever sits where an id goes',
    async ([method, tail], id, cid, who) => {
      const party = w.parties[who % w.parties.length];
      await expectHandledSafely(w.h, () =>
        w.h.request(method, `/api/tasks/${id}/${tail.replace('{cid}', cid)}`, {
          token: party?.token,
          ...(method === 'POST' || method === 'PATCH'
            ? { json: { body: 'From the id fuzz' } }
            : {}),
        }),
      );
    },
    timeout,
  );
});

describe('project path ids', () => {
  test.prop(
    [fc.constantFrom('GET', 'PATCH', 'DELETE', 'PUT', 'DELETE member'), pathId, pathId, fc.nat()],
    parameters,
  )(
    'every project route, whatever sits where the ids go',
    async (route, id, userId, who) => {
      const party = w.parties[who % w.parties.length];
      const member = route === 'PUT' || route === 'DELETE member';
      const path = member ? `/api/projects/${id}/members/${userId}/` : `/api/projects/${id}/`;
      await expectHandledSafely(w.h, () =>
        w.h.request(route.split(' ')[0] as string, path, {
          token: party?.token,
          ...(route === 'PUT' ? { json: { role: 'viewer' } } : {}),
          ...(route === 'PATCH' ? { json: { name: 'From the id fuzz' } } : {}),
        }),
      );
    },
    timeout,
  );
});

describe('headers', () => {
  const headers = lazy(() =>
    fc.record(
      {
        Authorization: fc.constantFrom(...w.parties).chain((party) => authorization(party.token)),
        'If-Match': entityTags,
        'If-None-Match': entityTags,
        'X-Request-Id': headerValue,
        'Content-Type': contentType,
      },
      { requiredKeys: [] },
    ),
  );

  test.prop(
    [
      fc.constantFrom(
        ...TASK_ROUTES,
        'GET /api/tasks/',
        'POST /api/tasks/',
        'GET /api/me/',
        'GET /api/users/',
      ),
      fc.nat(),
      headers,
      fc.oneof(fc.constantFrom({ status: 'completed' }, { title: 'From headers fuzz' }), anyJson),
    ],
    parameters,
  )(
    'on every authenticated route',
    async (route, which, given, body) => {
      const [method, path] = route.includes(' ')
        ? (route.split(' ') as [string, string])
        : [route, `/api/tasks/${w.taskIds[which % w.taskIds.length]}/`];
      const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      await expectHandledSafely(w.h, () =>
        send(w.h, { method, path, headers: given, ...(hasBody && { body: JSON.stringify(body) }) }),
      );
    },
    timeout,
  );
});
