import { beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type Json, nextPath, type SignedUp } from '../harness.ts';

let h: Harness;
let creator: SignedUp;
let assignee: SignedUp;
let stranger: SignedUp;
let staff: SignedUp;
let task: Json;

beforeEach(async () => {
  h = await harness();
  creator = await h.signUp();
  assignee = await h.signUp();
  stranger = await h.signUp();
  staff = await h.signUp({ staff: true });
  task = await (
    await h.request('POST', '/api/tasks/', {
      token: creator.token,
      json: { title: 'Write docs', assigned_to: assignee.id },
    })
  ).json();
});

const comments = () => `/api/tasks/${task.id}/comments/`;

async function comment(body = 'Which format?', by = assignee): Promise<Json> {
  const response = await h.request('POST', comments(), { token: by.token, json: { body } });
  expect(response.status).toBe(201);
  return response.json();
}

async function listed(path: string, by: SignedUp = creator): Promise<Json[]> {
  const response = await h.request('GET', path, { token: by.token });
  expect(response.status).toBe(200);
  return response.json();
}

describe('POST /api/tasks/{id}/comments/', () => {
  it('adds a trimmed comment by the caller, with Location and ETag', async () => {
    const response = await h.request('POST', comments(), {
      token: assignee.token,
      json: { body: '  Which format?  \n' },
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({
      id: expect.any(Number),
      author: { id: assignee.id, username: assignee.username },
      body: 'Which format?',
      created_at: '2026-01-01T09:00:00.000Z',
      updated_at: '2026-01-01T09:00:00.000Z',
      version: 1,
    });
    expect(response.headers.get('Location')).toBe(`${comments()}${body.id}/`);
    expect(response.headers.get('ETag')).toBe('"1"');
    const fetched = await h.request('GET', `${comments()}${body.id}`, { token: creator.token });
    expect(await fetched.json()).toEqual(body);
  });

  it("may be made by anyone who sees the task, and changes neither the task's version nor ETag", async () => {
    for (const by of [creator, assignee, staff]) await comment(`from ${by.username}`, by);
    const response = await h.request('GET', `/api/tasks/${task.id}/`, { token: creator.token });
    expect(response.headers.get('ETag')).toBe('"1"');
    expect(await response.json()).toEqual(task);
  });

  it.each([
    ['a blank body', { body: ' \n ' }, 'This field may not be blank.'],
    ['no body', {}, 'This field is required.'],
    ['a null body', { body: null }, 'This field may not be null.'],
    ['a number', { body: 5 }, 'Not a valid string.'],
    [
      'a body over 10,000 code points',
      { body: '☕'.repeat(10_001) },
      'Ensure this field has no more than 10000 characters.',
    ],
    ['a NUL character', { body: 'a\u0000b' }, 'Null characters are not allowed.'],
  ])('refuses %s with 400 and stores nothing', async (_, json, message) => {
    const response = await h.request('POST', comments(), { token: creator.token, json });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ body: [message] });
    expect(await listed(comments())).toEqual([]);
  });

  it('counts code points: 10,000 of them outside the BMP are one comment', async () => {
    expect((await comment('😀'.repeat(10_000))).body).toHaveLength(20_000);
  });

  it('ignores read-only fields sent back and refuses unknown ones', async () => {
    const sent = await h.request('POST', comments(), {
      token: creator.token,
      json: { body: 'x', id: 99, author: { id: staff.id }, version: 7 },
    });
    expect(await sent.json()).toMatchObject({ author: { id: creator.id }, version: 1 });
    const unknown = await h.request('POST', comments(), {
      token: creator.token,
      json: { body: 'x', pinned: true },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors).toEqual({ pinned: ['Unknown field.'] });
  });

  it('needs JSON and credentials', async () => {
    const form = await h.request('POST', comments(), {
      token: creator.token,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(form.status).toBe(415);
    const anonymous = await h.request('POST', comments(), { json: { body: 'x' } });
    expect(anonymous.status).toBe(401);
  });

  it('answers 404 for a task the caller cannot see, an unknown task and a non-integer id', async () => {
    for (const [by, path] of [
      [stranger, comments()],
      [creator, '/api/tasks/99999/comments/'],
      [creator, '/api/tasks/abc/comments/'],
    ] as const) {
      const response = await h.request('POST', path, { token: by.token, json: { body: 'x' } });
      expect(response.status, path).toBe(404);
    }
    expect(await listed(comments())).toEqual([]);
  });
});

describe('GET /api/tasks/{id}/comments/', () => {
  it('lists oldest first, in keyset pages that follow Link', async () => {
    const added = [];
    for (let i = 0; i < 5; i++) {
      added.push(await comment(`c${i}`, i % 2 ? creator : assignee));
      h.clock.advance(1000);
    }
    const first = await h.request('GET', `${comments()}?limit=2`, { token: staff.token });
    expect((await first.json()).map((c: Json) => c.body)).toEqual(['c0', 'c1']);
    const seen: Json[] = [];
    let path: string | null = `${comments()}?limit=2`;
    while (path) {
      const response = await h.request('GET', path, { token: staff.token });
      seen.push(...(await response.json()));
      path = nextPath(response);
    }
    expect(seen).toEqual(added);
    expect(await listed(comments(), assignee)).toEqual(added);
  });

  it('refuses a forged cursor and one made for another list', async () => {
    await comment('a');
    await comment('b');
    const history = await h.request('GET', `/api/tasks/${task.id}/history/?limit=1`, {
      token: creator.token,
    });
    const foreign = new URL(`http://x${nextPath(history)}`).searchParams.get('cursor');
    for (const cursor of ['abc.def', foreign]) {
      const response = await h.request('GET', `${comments()}?cursor=${cursor}`, {
        token: creator.token,
      });
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toEqual({ cursor: ['Invalid cursor.'] });
    }
  });

  it('answers 404 to a stranger and for an unknown task', async () => {
    await comment();
    expect((await h.request('GET', comments(), { token: stranger.token })).status).toBe(404);
    expect(
      (await h.request('GET', '/api/tasks/99999/comments/', { token: creator.token })).status,
    ).toBe(404);
  });
});

describe('GET /api/tasks/{id}/comments/{cid}/', () => {
  it('gives the comment with its ETag, and 304 for If-None-Match', async () => {
    const added = await comment();
    const path = `${comments()}${added.id}/`;
    const response = await h.request('GET', path, { token: creator.token });
    expect(response.headers.get('ETag')).toBe('"1"');
    const cached = await h.request('GET', path, {
      token: creator.token,
      headers: { 'If-None-Match': 'W/"1"' },
    });
    expect(cached.status).toBe(304);
  });

  it('answers 404 for a comment of another task, even one the caller sees', async () => {
    const added = await comment();
    const other = await (
      await h.request('POST', '/api/tasks/', { token: creator.token, json: { title: 'Other' } })
    ).json();
    for (const path of [
      `/api/tasks/${other.id}/comments/${added.id}/`,
      `${comments()}99999/`,
      `${comments()}x/`,
    ]) {
      const response = await h.request('GET', path, { token: creator.token });
      expect(response.status, path).toBe(404);
    }
  });
});

describe('PATCH /api/tasks/{id}/comments/{cid}/', () => {
  it('lets the author edit: a new version, ETag and updated_at; the task stays as it was', async () => {
    const added = await comment('draft');
    h.clock.advance(60_000);
    const response = await h.request('PATCH', `${comments()}${added.id}/`, {
      token: assignee.token,
      json: { body: ' final ' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('ETag')).toBe('"2"');
    expect(await response.json()).toEqual({
      ...added,
      body: 'final',
      updated_at: '2026-01-01T09:01:00.000Z',
      version: 2,
    });
    const current = await h.request('GET', `/api/tasks/${task.id}/`, { token: creator.token });
    expect((await current.json()).version).toBe(1);
  });

  it('takes the same body as no change', async () => {
    const added = await comment('same');
    const response = await h.request('PATCH', `${comments()}${added.id}/`, {
      token: assignee.token,
      json: { ...added, body: '  same ' },
    });
    expect(await response.json()).toEqual(added);
  });

  it("refuses anyone but the author with 403, staff and the task's creator included", async () => {
    const added = await comment('mine');
    for (const by of [creator, staff]) {
      const response = await h.request('PATCH', `${comments()}${added.id}/`, {
        token: by.token,
        json: { body: 'theirs' },
      });
      expect(response.status).toBe(403);
      expect((await response.json()).detail).toBe('Only the author of a comment may edit it.');
    }
    expect((await listed(comments()))[0].body).toBe('mine');
  });

  it("honours If-Match on the comment's version: 412 on another, success on the current", async () => {
    const added = await comment('draft');
    const path = `${comments()}${added.id}/`;
    const edit = (tag: string, body: string) =>
      h.request('PATCH', path, {
        token: assignee.token,
        json: { body },
        headers: { 'If-Match': tag },
      });
    const stale = await edit('"2"', 'late');
    expect(stale.status).toBe(412);
    expect((await stale.json()).detail).toMatch(/If-Match/);
    expect((await edit('"1"', 'first')).status).toBe(200);
    expect((await edit('"1"', 'again')).status).toBe(412);
    expect((await listed(comments()))[0].body).toBe('first');
  });

  it('validates the body as on creation', async () => {
    const added = await comment();
    const response = await h.request('PATCH', `${comments()}${added.id}/`, {
      token: assignee.token,
      json: { body: '' },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ body: ['This field may not be blank.'] });
  });

  it('answers 404 to a stranger and for an unknown comment', async () => {
    const added = await comment();
    for (const [by, path] of [
      [stranger, `${comments()}${added.id}/`],
      [assignee, `${comments()}99999/`],
    ] as const) {
      const response = await h.request('PATCH', path, { token: by.token, json: { body: 'x' } });
      expect(response.status, path).toBe(404);
    }
  });
});

describe('DELETE /api/tasks/{id}/comments/{cid}/', () => {
  it('lets the author and staff delete; the comment is gone', async () => {
    const first = await comment('one');
    const second = await comment('two');
    for (const [by, added] of [
      [assignee, first],
      [staff, second],
    ] as const) {
      const response = await h.request('DELETE', `${comments()}${added.id}/`, { token: by.token });
      expect(response.status).toBe(204);
      const gone = await h.request('GET', `${comments()}${added.id}/`, { token: creator.token });
      expect(gone.status).toBe(404);
    }
    expect(await listed(comments())).toEqual([]);
  });

  it("refuses the task's creator who did not write it with 403, a stranger with 404", async () => {
    const added = await comment();
    const path = `${comments()}${added.id}/`;
    const creators = await h.request('DELETE', path, { token: creator.token });
    expect(creators.status).toBe(403);
    expect((await h.request('DELETE', path, { token: stranger.token })).status).toBe(404);
    expect(await listed(comments())).toHaveLength(1);
  });

  it('honours If-Match', async () => {
    const added = await comment();
    const path = `${comments()}${added.id}/`;
    const stale = await h.request('DELETE', path, {
      token: assignee.token,
      headers: { 'If-Match': '"2"' },
    });
    expect(stale.status).toBe(412);
    const current = await h.request('DELETE', path, {
      token: assignee.token,
      headers: { 'If-Match': '"1"' },
    });
    expect(current.status).toBe(204);
  });
});

describe('GET /api/tasks/{id}/history/', () => {
  const history = () => `/api/tasks/${task.id}/history/`;
  const patch = (json: Json, by = creator) =>
    h.request('PATCH', `/api/tasks/${task.id}/`, { token: by.token, json });

  it('records creation with every field, from null', async () => {
    expect(await listed(history())).toEqual([
      {
        id: expect.any(Number),
        at: '2026-01-01T09:00:00.000Z',
        actor: { id: creator.id, username: creator.username },
        action: 'created',
        changes: {
          title: [null, 'Write docs'],
          description: [null, ''],
          status: [null, 'pending'],
          assigned_to: [null, assignee.id],
          project: [null, null],
          due_at: [null, null],
          priority: [null, 'none'],
          labels: [null, []],
        },
      },
    ]);
  });

  it('records due_at in UTC as a client reads it, priority by name and labels as stored', async () => {
    h.clock.advance(1000);
    await patch({ due_at: '2026-03-01T17:00:00+01:00', priority: 'high', labels: ['ui', ' Bug '] });
    h.clock.advance(1000);
    // The same instant in another offset and the same labels in another order change nothing.
    await patch({ due_at: '2026-03-01T16:00:00Z', priority: 'urgent', labels: ['Bug', 'ui'] });
    await patch({ due_at: '2026-03-01T11:00:00-05:00', labels: ['ui', 'Bug'] });
    h.clock.advance(1000);
    await patch({ due_at: null, labels: [] });
    const [cleared, urgent, dated] = await listed(history());
    expect(dated).toMatchObject({
      action: 'updated',
      changes: {
        due_at: [null, '2026-03-01T16:00:00.000Z'],
        priority: ['none', 'high'],
        labels: [[], ['Bug', 'ui']],
      },
    });
    expect(urgent.changes).toEqual({ priority: ['high', 'urgent'] });
    expect(cleared.changes).toEqual({
      due_at: ['2026-03-01T16:00:00.000Z', null],
      labels: [['Bug', 'ui'], []],
    });
    expect(await listed(history())).toHaveLength(4);
  });

  it('records each write, newest first: changed fields only, by the name and value a client reads', async () => {
    h.clock.advance(1000);
    await patch({ title: 'Write the docs', description: '', assigned_to: null });
    h.clock.advance(1000);
    await comment('Done?', creator);
    h.clock.advance(1000);
    await patch({ title: 'Write the docs', status: 'pending' });
    // The assignee, unassigned, no longer sees the task; staff do.
    expect((await h.request('GET', history(), { token: assignee.token })).status).toBe(404);
    const entries = await listed(history(), staff);
    expect(entries.map((e: Json) => [e.action, e.actor.id, e.at, e.changes])).toEqual([
      ['commented', creator.id, '2026-01-01T09:00:02.000Z', {}],
      [
        'updated',
        creator.id,
        '2026-01-01T09:00:01.000Z',
        { title: ['Write docs', 'Write the docs'], assigned_to: [assignee.id, null] },
      ],
      ['created', creator.id, '2026-01-01T09:00:00.000Z', expect.any(Object)],
    ]);
  });

  it('names the completer of a completion, which keeps exactly one outbox event, and the reopener', async () => {
    expect((await patch({ status: 'completed' }, assignee)).status).toBe(200);
    expect((await patch({ status: 'completed' }, assignee)).status).toBe(200);
    h.clock.advance(1000);
    await patch({ status: 'pending' });
    const [reopened, completed] = await listed(history());
    expect(completed).toMatchObject({
      action: 'completed',
      actor: { id: assignee.id, username: assignee.username },
      changes: { status: ['pending', 'completed'] },
    });
    expect(reopened).toMatchObject({
      action: 'reopened',
      actor: { id: creator.id },
      changes: { status: ['completed', 'pending'] },
    });
    expect(await h.completions()).toHaveLength(1);
  });

  it('records nothing for a write that changes nothing, nor for one that is refused', async () => {
    await patch({ title: 'Write docs', status: 'pending' });
    await h.request('PUT', `/api/tasks/${task.id}/`, { token: assignee.token, json: task });
    expect((await patch({ title: 'x' }, assignee)).status).toBe(403);
    expect((await patch({ title: '' })).status).toBe(400);
    const stale = await h.request('PATCH', `/api/tasks/${task.id}/`, {
      token: creator.token,
      json: { title: 'y' },
      headers: { 'If-Match': '"9"' },
    });
    expect(stale.status).toBe(412);
    expect((await listed(history())).map((e: Json) => e.action)).toEqual(['created']);
  });

  it('pages newest first by Link', async () => {
    for (let i = 0; i < 4; i++) await patch({ title: `t${i}` });
    const all = await listed(history());
    expect(all.map((e: Json) => e.changes.title?.[1])).toEqual([
      't3',
      't2',
      't1',
      't0',
      'Write docs',
    ]);
    const seen: Json[] = [];
    let path: string | null = `${history()}?limit=2`;
    while (path) {
      const response = await h.request('GET', path, { token: creator.token });
      seen.push(...(await response.json()));
      path = nextPath(response);
    }
    expect(seen).toEqual(all);
  });

  it('answers 404 to a stranger and for an unknown task', async () => {
    expect((await h.request('GET', history(), { token: stranger.token })).status).toBe(404);
    expect(
      (await h.request('GET', '/api/tasks/99999/history/', { token: creator.token })).status,
    ).toBe(404);
  });
});

describe('deleting a task', () => {
  it('deletes its comments and its history', async () => {
    await comment();
    expect(await h.deps.history.list(task.id, { limit: 10 })).toHaveLength(2);
    const response = await h.request('DELETE', `/api/tasks/${task.id}/`, { token: creator.token });
    expect(response.status).toBe(204);
    expect(await h.deps.comments.list(task.id, { limit: 10 })).toEqual([]);
    expect(await h.deps.history.list(task.id, { limit: 10 })).toEqual([]);
  });
});

describe('concurrent writes', () => {
  it('give 20 parallel PATCHes of one task exactly one history entry per version, in version order', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.request('PATCH', `/api/tasks/${task.id}/`, {
          token: creator.token,
          json: { title: `writer ${i}` },
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const versions = await Promise.all(responses.map(async (r) => (await r.json()).version));
    expect([...versions].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );

    const current = await (
      await h.request('GET', `/api/tasks/${task.id}/`, { token: creator.token })
    ).json();
    const oldestFirst = (await listed(`/api/tasks/${task.id}/history/?limit=200`)).reverse();
    expect(oldestFirst).toHaveLength(current.version);
    // Each entry starts from the title the one before it left: one entry per version, in order.
    let title = 'Write docs';
    for (const [i, entry] of oldestFirst.slice(1).entries()) {
      expect(entry.action, `entry ${i}`).toBe('updated');
      expect(entry.changes.title[0], `entry ${i}`).toBe(title);
      title = entry.changes.title[1];
    }
    expect(title).toBe(current.title);
  });

  it('let one of two edits of a comment from one version win; the other gets 412', async () => {
    const added = await comment('draft');
    const responses = await Promise.all(
      ['one', 'two'].map((body) =>
        h.request('PATCH', `${comments()}${added.id}/`, {
          token: assignee.token,
          json: { body },
          headers: { 'If-Match': '"1"' },
        }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 412]);
  });
});
