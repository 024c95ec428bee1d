// OWASP API1:2023 Broken Object Level Authorization: every route that names a task, for each of
// the four parties. Strangers get 404, never 403, and no answer tells them more than that.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type Json } from '../harness.ts';
import { type Parties, parties, taskPath } from './fixtures.ts';

type Party = keyof Parties;

let h: Harness;
let p: Parties;
let task: Json;
let created = 0;

// One set of parties for the file; each test gets a task of its own.
beforeAll(async () => {
  h = await harness();
  p = await parties(h);
});

beforeEach(async () => {
  const response = await h.request('POST', '/api/tasks/', {
    token: p.creator.token,
    json: {
      title: `Quarterly report ${++created}`,
      description: 'numbers',
      assigned_to: p.assignee.id,
    },
  });
  task = await response.json();
});

interface Case {
  method: string;
  /** A body, or one built from the task as its GET shows it. */
  body?: Json | ((task: Json) => Json);
  expected: Record<Party, number>;
}

const cases: Record<string, Case> = {
  'GET the task': {
    method: 'GET',
    expected: { creator: 200, assignee: 200, staff: 200, stranger: 404 },
  },
  'PUT a new title': {
    method: 'PUT',
    body: { title: 'Renamed' },
    expected: { creator: 200, assignee: 403, staff: 200, stranger: 404 },
  },
  'PUT back the whole task with only the status changed': {
    method: 'PUT',
    body: (t: Json) => ({ ...t, status: 'completed' }),
    expected: { creator: 200, assignee: 200, staff: 200, stranger: 404 },
  },
  'PATCH the title': {
    method: 'PATCH',
    body: { title: 'Renamed' },
    expected: { creator: 200, assignee: 403, staff: 200, stranger: 404 },
  },
  'PATCH the description': {
    method: 'PATCH',
    body: { description: 'other numbers' },
    expected: { creator: 200, assignee: 403, staff: 200, stranger: 404 },
  },
  'PATCH the assignee away': {
    method: 'PATCH',
    body: { assigned_to: null },
    expected: { creator: 200, assignee: 403, staff: 200, stranger: 404 },
  },
  'PATCH the status': {
    method: 'PATCH',
    body: { status: 'completed' },
    expected: { creator: 200, assignee: 200, staff: 200, stranger: 404 },
  },
  'PATCH the status and the title': {
    method: 'PATCH',
    body: { status: 'completed', title: 'Mine' },
    expected: { creator: 200, assignee: 403, staff: 200, stranger: 404 },
  },
  'DELETE the task': {
    method: 'DELETE',
    expected: { creator: 204, assignee: 403, staff: 204, stranger: 404 },
  },
};

const matrix = Object.entries(cases).flatMap(([name, c]) =>
  (Object.keys(c.expected) as Party[]).map((party) => [name, party, c] as const),
);

const send = (c: Case, party: Party, id: number | string, headers?: Record<string, string>) =>
  h.request(c.method, taskPath(id), {
    token: p[party].token,
    headers,
    ...(c.body !== undefined && {
      json: typeof c.body === 'function' ? c.body(task) : c.body,
    }),
  });

const current = async () =>
  (await h.request('GET', taskPath(task.id), { token: p.staff.token })).json();

describe('every task route, for creator, assignee, staff and stranger', () => {
  it.each(matrix)('%s as the %s', async (_, party, c) => {
    const response = await send(c, party, task.id);
    const expected = c.expected[party];
    expect(response.status).toBe(expected);
    if (expected >= 400) {
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      // A refusal changes nothing.
      expect(await current()).toEqual(task);
    }
  });

  it.each(Object.entries(cases))(
    '%s: a stranger learns nothing a task that does not exist would not tell',
    async (_, c) => {
      const missing = await send(c, 'stranger', 2_000_000);
      const hidden = await send(c, 'stranger', task.id);
      expect(hidden.status).toBe(missing.status);
      const { status, detail, code } = await missing.json();
      expect(await hidden.json()).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status,
        detail,
        code,
      });
    },
  );

  it('gives strangers 404 whatever precondition they send, never 304 or 412', async () => {
    const preconditions = [{ 'If-None-Match': '"1"' }, { 'If-None-Match': '*' }];
    for (const headers of preconditions)
      expect((await send(cases['GET the task'] as Case, 'stranger', task.id, headers)).status).toBe(
        404,
      );
    for (const name of ['PATCH the status', 'DELETE the task'])
      for (const headers of [{ 'If-Match': '"1"' }, { 'If-Match': '"99"' }])
        expect((await send(cases[name] as Case, 'stranger', task.id, headers)).status).toBe(404);
    expect(await current()).toEqual(task);
  });

  it('gives strangers the same 400 for an invalid body on a hidden task as on a missing one', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const body = { title: '', assigned_to: 'x' };
      const [hidden, missing] = await Promise.all(
        [task.id, 2_000_000].map(async (id) => {
          const response = await h.request(method, taskPath(id), {
            token: p.stranger.token,
            json: body,
          });
          return [response.status, await response.json()];
        }),
      );
      expect(hidden).toEqual(missing);
      expect(hidden?.[0]).toBe(400);
    }
  });

  it('gives the assignee a 403 only once the task is visible to them, and 404 after unassignment', async () => {
    await h.request('PATCH', taskPath(task.id), {
      token: p.creator.token,
      json: { assigned_to: p.stranger.id },
    });
    expect((await h.request('GET', taskPath(task.id), { token: p.assignee.token })).status).toBe(
      404,
    );
    expect((await h.request('DELETE', taskPath(task.id), { token: p.assignee.token })).status).toBe(
      404,
    );
    expect((await h.request('GET', taskPath(task.id), { token: p.stranger.token })).status).toBe(
      200,
    );
    expect((await h.request('DELETE', taskPath(task.id), { token: p.stranger.token })).status).toBe(
      403,
    );
  });
});

describe('lists and filters', () => {
  const listFor = async (party: Party, query = ''): Promise<Json[]> => {
    const response = await h.request('GET', `/api/tasks/?limit=200${query}`, {
      token: p[party].token,
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const includesTask = async (party: Party, query = '') =>
    (await listFor(party, query)).some((listed) => listed.id === task.id);

  it('show the task to its creator, assignee and staff only', async () => {
    expect(await includesTask('creator')).toBe(true);
    expect(await includesTask('assignee')).toBe(true);
    expect(await includesTask('staff')).toBe(true);
    expect(await includesTask('stranger')).toBe(false);
  });

  it('never widen what a stranger sees, whichever filter names the task or its people', async () => {
    for (const query of [
      `&created_by=${p.creator.id}`,
      `&assigned_to=${p.assignee.id}`,
      `&search=${encodeURIComponent(task.title)}`,
      '&search=numbers',
      '&status=pending',
      '&assigned_to=none',
      '&ordering=-title',
    ]) {
      expect(await includesTask('stranger', query), query).toBe(false);
      for (const listed of await listFor('stranger', query))
        expect([listed.created_by, listed.assigned_to], query).toContain(p.stranger.id);
    }
  });

  it('carry rights in the token, not in the cursor: a cursor replayed by another user opens nothing', async () => {
    for (let i = 0; i < 3; i++)
      await h.request('POST', '/api/tasks/', {
        token: p.stranger.token,
        json: { title: `own ${i}` },
      });
    const page = await h.request('GET', '/api/tasks/?limit=1', { token: p.stranger.token });
    const next = new URL(/<([^>]+)>/.exec(page.headers.get('Link') ?? '')?.[1] as string);
    const replayed = await h.request('GET', next.pathname + next.search, {
      token: p.creator.token,
    });
    expect(replayed.status).toBe(200);
    for (const listed of await replayed.json())
      expect([listed.created_by, listed.assigned_to]).toContain(p.creator.id);
  });
});

describe('every comment and history route, for creator, assignee, staff and stranger', () => {
  let comment: Json;
  beforeEach(async () => {
    const response = await h.request('POST', `${taskPath(task.id)}comments/`, {
      token: p.assignee.token,
      json: { body: 'Which quarter?' },
    });
    comment = await response.json();
  });

  interface Route {
    method: string;
    path: (taskId: number | string) => string;
    body?: Json;
    expected: Record<Party, number>;
  }
  const routes: Record<string, Route> = {
    'GET the comments': {
      method: 'GET',
      path: (id) => `${taskPath(id)}comments/`,
      expected: { creator: 200, assignee: 200, staff: 200, stranger: 404 },
    },
    'POST a comment': {
      method: 'POST',
      path: (id) => `${taskPath(id)}comments/`,
      body: { body: 'Q3' },
      expected: { creator: 201, assignee: 201, staff: 201, stranger: 404 },
    },
    'GET the comment': {
      method: 'GET',
      path: (id) => `${taskPath(id)}comments/${comment.id}/`,
      expected: { creator: 200, assignee: 200, staff: 200, stranger: 404 },
    },
    "PATCH the assignee's comment": {
      method: 'PATCH',
      path: (id) => `${taskPath(id)}comments/${comment.id}/`,
      body: { body: 'Which year?' },
      expected: { creator: 403, assignee: 200, staff: 403, stranger: 404 },
    },
    "DELETE the assignee's comment": {
      method: 'DELETE',
      path: (id) => `${taskPath(id)}comments/${comment.id}/`,
      expected: { creator: 403, assignee: 204, staff: 204, stranger: 404 },
    },
    'GET the history': {
      method: 'GET',
      path: (id) => `${taskPath(id)}history/`,
      expected: { creator: 200, assignee: 200, staff: 200, stranger: 404 },
    },
  };
  const routeMatrix = Object.entries(routes).flatMap(([name, route]) =>
    (Object.keys(route.expected) as Party[]).map((party) => [name, party, route] as const),
  );
  const call = (route: Route, party: Party, taskId: number | string) =>
    h.request(route.method, route.path(taskId), {
      token: p[party].token,
      ...(route.body && { json: route.body }),
    });
  const comments = async () =>
    (await h.request('GET', `${taskPath(task.id)}comments/`, { token: p.staff.token })).json();

  it.each(routeMatrix)('%s as the %s', async (_, party, route) => {
    const before = await comments();
    const response = await call(route, party, task.id);
    expect(response.status).toBe(route.expected[party]);
    if (response.status >= 400) expect(await comments()).toEqual(before);
  });

  it.each(Object.entries(routes))(
    '%s: a stranger learns nothing a task that does not exist would not tell',
    async (_, route) => {
      const missing = await call(route, 'stranger', 2_000_000);
      const hidden = await call(route, 'stranger', task.id);
      expect(hidden.status).toBe(404);
      expect(await hidden.json()).toEqual(await missing.json());
    },
  );

  it('gives strangers 404 whatever If-Match or If-None-Match they send', async () => {
    const path = `${taskPath(task.id)}comments/${comment.id}/`;
    for (const [method, headers] of [
      ['GET', { 'If-None-Match': '"1"' }],
      ['PATCH', { 'If-Match': '"1"' }],
      ['PATCH', { 'If-Match': '"99"' }],
      ['DELETE', { 'If-Match': '"99"' }],
    ] as const) {
      const response = await h.request(method, path, {
        token: p.stranger.token,
        headers,
        ...(method === 'PATCH' && { json: { body: 'x' } }),
      });
      expect(response.status, `${method} ${JSON.stringify(headers)}`).toBe(404);
    }
  });
});

describe('comments in a project, for its owner, editor and viewer', () => {
  let owner: Json;
  let editor: Json;
  let viewer: Json;
  let inProject: Json;
  let editorsComment: Json;
  const comments = () => `${taskPath(inProject.id)}comments/`;
  beforeEach(async () => {
    [owner, editor, viewer] = [await h.signUp(), await h.signUp(), await h.signUp()];
    const project = await (
      await h.request('POST', '/api/projects/', { token: owner.token, json: { name: 'Site' } })
    ).json();
    for (const [member, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const)
      await h.request('PUT', `/api/projects/${project.id}/members/${member.id}/`, {
        token: owner.token,
        json: { role },
      });
    inProject = await (
      await h.request('POST', '/api/tasks/', {
        token: owner.token,
        json: { title: 'Pour the slab', project: project.id },
      })
    ).json();
    editorsComment = await (
      await h.request('POST', comments(), { token: editor.token, json: { body: 'Monday?' } })
    ).json();
  });

  it('let a viewer read and comment, and edit only their own comment', async () => {
    expect((await h.request('GET', comments(), { token: viewer.token })).status).toBe(200);
    expect(
      (await h.request('GET', `${taskPath(inProject.id)}history/`, { token: viewer.token })).status,
    ).toBe(200);
    const own = await h.request('POST', comments(), {
      token: viewer.token,
      json: { body: 'Tuesday.' },
    });
    expect(own.status).toBe(201);
    const ownPath = `${comments()}${(await own.json()).id}/`;
    const editorsPath = `${comments()}${editorsComment.id}/`;
    const edit = (path: string) =>
      h.request('PATCH', path, { token: viewer.token, json: { body: 'Changed' } });
    expect((await edit(ownPath)).status).toBe(200);
    expect((await edit(editorsPath)).status).toBe(403);
    expect((await h.request('DELETE', editorsPath, { token: viewer.token })).status).toBe(403);
    const kept = await h.request('GET', editorsPath, { token: viewer.token });
    expect((await kept.json()).body).toBe('Monday?');
  });

  it("let the project's owner delete anyone's comment, and an editor only their own", async () => {
    const viewers = await (
      await h.request('POST', comments(), { token: viewer.token, json: { body: 'Tuesday.' } })
    ).json();
    const viewersPath = `${comments()}${viewers.id}/`;
    expect((await h.request('DELETE', viewersPath, { token: editor.token })).status).toBe(403);
    expect(
      (await h.request('PATCH', viewersPath, { token: owner.token, json: { body: 'x' } })).status,
    ).toBe(403);
    expect((await h.request('DELETE', viewersPath, { token: owner.token })).status).toBe(204);
    const editorsPath = `${comments()}${editorsComment.id}/`;
    expect((await h.request('DELETE', editorsPath, { token: editor.token })).status).toBe(204);
  });

  it('shut a member out of the comments and history once removed from the project', async () => {
    await h.request('DELETE', `/api/projects/${inProject.project}/members/${viewer.id}/`, {
      token: owner.token,
    });
    for (const path of [comments(), `${taskPath(inProject.id)}history/`])
      expect((await h.request('GET', path, { token: viewer.token })).status, path).toBe(404);
    const post = await h.request('POST', comments(), { token: viewer.token, json: { body: 'x' } });
    expect(post.status).toBe(404);
  });
});
