import { beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type Json, nextPath, type SignedUp } from '../harness.ts';

let h: Harness;
let owner: SignedUp;
let editor: SignedUp;
let viewer: SignedUp;
let stranger: SignedUp;
let staff: SignedUp;
let project: Json;

const path = (id = project.id) => `/api/projects/${id}/`;
const memberPath = (user: SignedUp, id = project.id) => `/api/projects/${id}/members/${user.id}/`;

async function json(response: Response): Promise<Json> {
  return response.json();
}

beforeEach(async () => {
  h = await harness();
  [owner, editor, viewer, stranger] = [
    await h.signUp(),
    await h.signUp(),
    await h.signUp(),
    await h.signUp(),
  ];
  staff = await h.signUp({ staff: true });
  project = await json(
    await h.request('POST', '/api/projects/', {
      token: owner.token,
      json: { name: '  Website  ', description: 'The relaunch' },
    }),
  );
  for (const [user, role] of [
    [editor, 'editor'],
    [viewer, 'viewer'],
  ] as const)
    await h.request('PUT', memberPath(user), { token: owner.token, json: { role } });
});

describe('POST /api/projects/', () => {
  it('creates a project whose owner is the caller, with Location and ETag', async () => {
    const response = await h.request('POST', '/api/projects/', {
      token: stranger.token,
      json: { name: ' Garden ' },
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({
      id: expect.any(Number),
      name: 'Garden',
      description: '',
      owner: { id: stranger.id, username: stranger.username },
      role: 'owner',
      archived: false,
      created_at: '2026-01-01T09:00:00.000Z',
      updated_at: '2026-01-01T09:00:00.000Z',
      version: 1,
    });
    expect(response.headers.get('Location')).toBe(`/api/projects/${body.id}/`);
    expect(response.headers.get('ETag')).toBe('"1"');
  });

  it.each([
    [{ name: '   ' }, 'name', 'This field may not be blank.'],
    [{ name: 'x'.repeat(101) }, 'name', 'Ensure this field has no more than 100 characters.'],
    [
      { name: 'ok', description: 'x'.repeat(10_001) },
      'description',
      'Ensure this field has no more than 10000 characters.',
    ],
    [{}, 'name', expect.any(String)],
    [{ name: 'ok', colour: 'red' }, 'colour', expect.any(String)],
  ])('refuses a body with 400 naming the field (%#)', async (body, field, message) => {
    const response = await h.request('POST', '/api/projects/', { token: owner.token, json: body });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[field]).toEqual([message]);
  });

  it('counts the name in code points', async () => {
    const response = await h.request('POST', '/api/projects/', {
      token: owner.token,
      json: { name: '😀'.repeat(100) },
    });
    expect(response.status).toBe(201);
  });
});

describe('GET /api/projects/{id}/', () => {
  it.each([
    ['owner', 200, 'owner'],
    ['editor', 200, 'editor'],
    ['viewer', 200, 'viewer'],
    ['staff', 200, null],
    ['stranger', 404, undefined],
  ] as const)('answers the %s with %i and their role', async (who, status, role) => {
    const token = { owner, editor, viewer, staff, stranger }[who].token;
    const response = await h.request('GET', path(), { token });
    expect(response.status).toBe(status);
    if (status === 200) {
      expect((await response.json()).role).toBe(role);
      expect(response.headers.get('ETag')).toBe('"1"');
    }
  });

  it('answers 304 to If-None-Match with the current version, and 404 for an unknown id', async () => {
    const notModified = await h.request('GET', path(), {
      token: viewer.token,
      headers: { 'If-None-Match': '"1"' },
    });
    expect(notModified.status).toBe(304);
    expect((await h.request('GET', path(999), { token: staff.token })).status).toBe(404);
    expect((await h.request('GET', '/api/projects/abc/', { token: staff.token })).status).toBe(404);
  });
});

describe('GET /api/projects/', () => {
  it("lists the caller's projects by id; staff list them all", async () => {
    const other = await json(
      await h.request('POST', '/api/projects/', {
        token: stranger.token,
        json: { name: 'Garden' },
      }),
    );
    const names = async (user: SignedUp, query = '') =>
      (await json(await h.request('GET', `/api/projects/${query}`, { token: user.token }))).map(
        (p: Json) => p.name,
      );
    expect(await names(viewer)).toEqual(['Website']);
    expect(await names(stranger)).toEqual(['Garden']);
    expect(await names(staff)).toEqual(['Website', 'Garden']);
    expect(await names(staff, '?search=GARD')).toEqual(['Garden']);
    await h.request('PATCH', path(other.id), { token: stranger.token, json: { archived: true } });
    expect(await names(staff, '?archived=true')).toEqual(['Garden']);
    expect(await names(staff, '?archived=false')).toEqual(['Website']);
    const bad = await h.request('GET', '/api/projects/?archived=maybe', { token: staff.token });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.archived).toBeDefined();
  });

  it('pages by keyset, announcing the next page in Link', async () => {
    for (let i = 0; i < 4; i++)
      await h.request('POST', '/api/projects/', { token: owner.token, json: { name: `P${i}` } });
    const first = await h.request('GET', '/api/projects/?limit=2', { token: owner.token });
    const seen = (await first.json()).map((p: Json) => p.name);
    let next = nextPath(first);
    while (next) {
      const page = await h.request('GET', next, { token: owner.token });
      seen.push(...(await page.json()).map((p: Json) => p.name));
      next = nextPath(page);
    }
    expect(seen).toEqual(['Website', 'P0', 'P1', 'P2', 'P3']);
    const tampered = await h.request('GET', '/api/projects/?cursor=abc.def', {
      token: owner.token,
    });
    expect(tampered.status).toBe(400);
  });
});

describe('PATCH /api/projects/{id}/', () => {
  it.each([
    ['owner', 200],
    ['staff', 200],
    ['editor', 403],
    ['viewer', 403],
    ['stranger', 404],
  ] as const)('lets the %s rename it: %i', async (who, status) => {
    const token = { owner, editor, viewer, staff, stranger }[who].token;
    const response = await h.request('PATCH', path(), { token, json: { name: 'Renamed' } });
    expect(response.status).toBe(status);
    if (status === 200)
      expect(await response.json()).toMatchObject({ name: 'Renamed', version: 2 });
  });

  it('honours If-Match, and takes back what GET gave', async () => {
    const stale = await h.request('PATCH', path(), {
      token: owner.token,
      headers: { 'If-Match': '"7"' },
      json: { name: 'Renamed' },
    });
    expect(stale.status).toBe(412);
    const current = await json(await h.request('GET', path(), { token: owner.token }));
    const response = await h.request('PATCH', path(), {
      token: owner.token,
      headers: { 'If-Match': '"1"' },
      json: { ...current, description: 'New' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('ETag')).toBe('"2"');
    const unchanged = await h.request('PATCH', path(), {
      token: owner.token,
      json: await response.json(),
    });
    expect((await unchanged.json()).version).toBe(2);
  });

  it('refuses a blank name and a non-boolean archived with 400', async () => {
    for (const body of [{ name: '' }, { archived: 'yes' }]) {
      const response = await h.request('PATCH', path(), { token: owner.token, json: body });
      expect(response.status).toBe(400);
    }
  });
});

describe('DELETE /api/projects/{id}/', () => {
  it('deletes an empty project for its owner; others get 403 or 404', async () => {
    expect((await h.request('DELETE', path(), { token: editor.token })).status).toBe(403);
    expect((await h.request('DELETE', path(), { token: stranger.token })).status).toBe(404);
    expect((await h.request('DELETE', path(), { token: owner.token })).status).toBe(204);
    expect((await h.request('GET', path(), { token: owner.token })).status).toBe(404);
  });

  it('refuses a project that holds tasks with 409 project_not_empty', async () => {
    const task = await json(
      await h.request('POST', '/api/tasks/', {
        token: editor.token,
        json: { title: 'In it', project: project.id },
      }),
    );
    const refused = await h.request('DELETE', path(), { token: staff.token });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'project_not_empty', status: 409 });
    await h.request('PATCH', `/api/tasks/${task.id}/`, {
      token: owner.token,
      json: { project: null },
    });
    expect((await h.request('DELETE', path(), { token: staff.token })).status).toBe(204);
  });
});

describe('members', () => {
  it('are listed for members and staff, by user id; strangers get 404', async () => {
    const response = await h.request('GET', `${path()}members/`, { token: viewer.token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      {
        user: { id: owner.id, username: owner.username },
        role: 'owner',
        added_at: expect.any(String),
      },
      {
        user: { id: editor.id, username: editor.username },
        role: 'editor',
        added_at: expect.any(String),
      },
      {
        user: { id: viewer.id, username: viewer.username },
        role: 'viewer',
        added_at: expect.any(String),
      },
    ]);
    expect((await h.request('GET', `${path()}members/`, { token: staff.token })).status).toBe(200);
    expect((await h.request('GET', `${path()}members/`, { token: stranger.token })).status).toBe(
      404,
    );
    const paged = await h.request('GET', `${path()}members/?limit=2`, { token: viewer.token });
    const rest = await h.request('GET', nextPath(paged) as string, { token: viewer.token });
    expect((await rest.json()).map((m: Json) => m.user.id)).toEqual([viewer.id]);
  });

  it('are added with 201 and changed with 200, by owners and staff only', async () => {
    const added = await h.request('PUT', memberPath(stranger), {
      token: owner.token,
      json: { role: 'viewer' },
    });
    expect(added.status).toBe(201);
    const first = await added.json();
    expect(first).toEqual({
      user: { id: stranger.id, username: stranger.username },
      role: 'viewer',
      added_at: '2026-01-01T09:00:00.000Z',
    });
    h.clock.advance(60_000);
    const changed = await h.request('PUT', memberPath(stranger), {
      token: staff.token,
      json: { role: 'editor' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ ...first, role: 'editor' });
    const again = await h.request('PUT', memberPath(stranger), {
      token: owner.token,
      json: { role: 'editor' },
    });
    expect(again.status).toBe(200);
    for (const [user, status] of [
      [editor, 403],
      [viewer, 403],
    ] as const) {
      const response = await h.request('PUT', memberPath(viewer), {
        token: user.token,
        json: { role: 'owner' },
      });
      expect(response.status).toBe(status);
    }
    const outsider = await h.signUp();
    expect(
      (
        await h.request('PUT', memberPath(viewer), {
          token: outsider.token,
          json: { role: 'owner' },
        })
      ).status,
    ).toBe(404);
  });

  it('refuses an unknown or inactive user and an unknown role with 400', async () => {
    const unknown = await h.request('PUT', `${path()}members/999/`, {
      token: owner.token,
      json: { role: 'viewer' },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors.user).toBeDefined();
    await h.deactivate(stranger.id);
    const inactive = await h.request('PUT', memberPath(stranger), {
      token: owner.token,
      json: { role: 'viewer' },
    });
    expect(inactive.status).toBe(400);
    const badRole = await h.request('PUT', memberPath(viewer), {
      token: owner.token,
      json: { role: 'admin' },
    });
    expect(badRole.status).toBe(400);
    expect((await badRole.json()).errors.role).toBeDefined();
  });

  it('keep an owner: demoting or removing the last one is 409 last_owner', async () => {
    const demote = await h.request('PUT', memberPath(owner), {
      token: owner.token,
      json: { role: 'editor' },
    });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ code: 'last_owner' });
    const leave = await h.request('DELETE', memberPath(owner), { token: owner.token });
    expect(leave.status).toBe(409);
    expect((await leave.json()).code).toBe('last_owner');
    // With a second owner, the first may go, and the project names the one who stays.
    await h.request('PUT', memberPath(editor), { token: owner.token, json: { role: 'owner' } });
    expect((await h.request('DELETE', memberPath(owner), { token: owner.token })).status).toBe(204);
    const after = await json(await h.request('GET', path(), { token: editor.token }));
    expect(after.owner).toEqual({ id: editor.id, username: editor.username });
    expect((await h.request('GET', path(), { token: owner.token })).status).toBe(404);
  });

  it('keep an owner when two owners demote each other at once', async () => {
    await h.request('PUT', memberPath(editor), { token: owner.token, json: { role: 'owner' } });
    const answers = await Promise.all([
      h.request('PUT', memberPath(editor), { token: owner.token, json: { role: 'viewer' } }),
      h.request('PUT', memberPath(owner), { token: editor.token, json: { role: 'viewer' } }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403]);
    const members = await json(await h.request('GET', `${path()}members/`, { token: staff.token }));
    expect(members.filter((m: Json) => m.role === 'owner')).toHaveLength(1);
  });

  it('may leave; only owners and staff remove others', async () => {
    expect((await h.request('DELETE', memberPath(viewer), { token: editor.token })).status).toBe(
      403,
    );
    expect((await h.request('DELETE', memberPath(viewer), { token: viewer.token })).status).toBe(
      204,
    );
    expect((await h.request('DELETE', memberPath(editor), { token: staff.token })).status).toBe(
      204,
    );
    expect((await h.request('DELETE', memberPath(stranger), { token: owner.token })).status).toBe(
      404,
    );
    expect(
      (await h.request('DELETE', memberPath(stranger), { token: stranger.token })).status,
    ).toBe(404);
  });
});

describe('tasks in projects', () => {
  const newTask = (user: SignedUp, body: Json) =>
    h.request('POST', '/api/tasks/', { token: user.token, json: { title: 'Task', ...body } });

  it('are created by editors, owners and staff; viewers, strangers and archived projects get 400', async () => {
    for (const user of [owner, editor, staff]) {
      const response = await newTask(user, { project: project.id });
      expect(response.status).toBe(201);
      expect((await response.json()).project).toBe(project.id);
    }
    for (const user of [viewer, stranger]) {
      const response = await newTask(user, { project: project.id });
      expect(response.status).toBe(400);
      expect((await response.json()).errors.project).toBeDefined();
    }
    expect((await newTask(owner, { project: 999 })).status).toBe(400);
    await h.request('PATCH', path(), { token: owner.token, json: { archived: true } });
    const archived = await newTask(owner, { project: project.id });
    expect(archived.status).toBe(400);
    expect((await archived.json()).errors.project).toEqual([
      'This project is archived and takes no new tasks.',
    ]);
  });

  it('have assignees who are members of the project', async () => {
    const refused = await newTask(editor, { project: project.id, assigned_to: stranger.id });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.assigned_to).toEqual([
      "The assignee must be a member of the task's project.",
    ]);
    const mine = await json(await newTask(stranger, { assigned_to: stranger.id }));
    await h.request('PUT', memberPath(stranger), { token: owner.token, json: { role: 'editor' } });
    const accepted = await newTask(editor, { project: project.id, assigned_to: viewer.id });
    expect(accepted.status).toBe(201);
    // Moving a task in checks its assignee against the project it joins.
    await h.request('DELETE', memberPath(stranger), { token: owner.token });
    await h.request('PUT', memberPath(stranger), { token: owner.token, json: { role: 'editor' } });
    const outsiderTask = await json(await newTask(editor, { assigned_to: editor.id }));
    const other = await json(
      await h.request('POST', '/api/projects/', { token: stranger.token, json: { name: 'Other' } }),
    );
    const moved = await h.request('PATCH', `/api/tasks/${mine.id}/`, {
      token: stranger.token,
      json: { project: project.id },
    });
    expect(moved.status).toBe(200);
    const notMember = await h.request('PATCH', `/api/tasks/${outsiderTask.id}/`, {
      token: editor.token,
      json: { project: other.id },
    });
    expect(notMember.status).toBe(400);
    expect((await notMember.json()).errors.project).toBeDefined();
  });

  it('are seen by every member, changed by editors and owners, by viewers only read (403)', async () => {
    const task = await json(await newTask(editor, { project: project.id }));
    const taskPath = `/api/tasks/${task.id}/`;
    for (const user of [owner, editor, viewer, staff])
      expect((await h.request('GET', taskPath, { token: user.token })).status).toBe(200);
    expect((await h.request('GET', taskPath, { token: stranger.token })).status).toBe(404);
    expect(
      (await h.request('PATCH', taskPath, { token: viewer.token, json: { status: 'completed' } }))
        .status,
    ).toBe(403);
    expect((await h.request('DELETE', taskPath, { token: viewer.token })).status).toBe(403);
    expect(
      (await h.request('PATCH', taskPath, { token: owner.token, json: { title: 'Owned' } })).status,
    ).toBe(200);
    expect((await h.request('DELETE', taskPath, { token: owner.token })).status).toBe(204);
  });

  it('move between projects only with editor rights on both sides', async () => {
    const task = await json(await newTask(editor, { project: project.id }));
    const taskPath = `/api/tasks/${task.id}/`;
    const other = await json(
      await h.request('POST', '/api/projects/', { token: viewer.token, json: { name: 'Other' } }),
    );
    // The viewer owns the other project, but only sees this one.
    const byViewer = await h.request('PATCH', taskPath, {
      token: viewer.token,
      json: { project: other.id },
    });
    expect(byViewer.status).toBe(403);
    // The editor cannot see the other project.
    const byEditor = await h.request('PATCH', taskPath, {
      token: editor.token,
      json: { project: other.id },
    });
    expect(byEditor.status).toBe(400);
    expect((await byEditor.json()).errors.project).toEqual([
      `Invalid pk "${other.id}" - object does not exist.`,
    ]);
    await h.request('PUT', `/api/projects/${other.id}/members/${editor.id}/`, {
      token: viewer.token,
      json: { role: 'editor' },
    });
    const moved = await h.request('PATCH', taskPath, {
      token: editor.token,
      json: { project: other.id },
    });
    expect(moved.status).toBe(200);
    expect((await moved.json()).project).toBe(other.id);
    // The creator, no longer a member of the task's project, cannot take it out.
    await h.request('DELETE', `/api/projects/${other.id}/members/${editor.id}/`, {
      token: editor.token,
    });
    const out = await h.request('PATCH', taskPath, {
      token: editor.token,
      json: { project: null },
    });
    expect(out.status).toBe(400);
    expect((await out.json()).errors.project).toBeDefined();
  });

  it('are hidden from a member removed from the project at once, unless they created it', async () => {
    const byOwner = await json(await newTask(owner, { project: project.id }));
    const byEditor = await json(await newTask(editor, { project: project.id }));
    await h.request('DELETE', memberPath(editor), { token: owner.token });
    expect(
      (await h.request('GET', `/api/tasks/${byOwner.id}/`, { token: editor.token })).status,
    ).toBe(404);
    const own = await h.request('PATCH', `/api/tasks/${byEditor.id}/`, {
      token: editor.token,
      json: { title: 'Still mine' },
    });
    expect(own.status).toBe(200);
    const listed = await json(await h.request('GET', '/api/tasks/', { token: editor.token }));
    expect(listed.map((t: Json) => t.id)).toEqual([byEditor.id]);
  });
});

describe('GET /api/tasks/ with projects', () => {
  it("lists the caller's own, assigned and projects' tasks once each, with project=<id>|none", async () => {
    const inProject = await json(
      await h.request('POST', '/api/tasks/', {
        token: editor.token,
        json: { title: 'Shared', project: project.id, assigned_to: viewer.id },
      }),
    );
    const own = await json(
      await h.request('POST', '/api/tasks/', { token: viewer.token, json: { title: 'Own' } }),
    );
    const hidden = await json(
      await h.request('POST', '/api/tasks/', { token: stranger.token, json: { title: 'Hidden' } }),
    );
    const list = async (user: SignedUp, query = '') =>
      (await json(await h.request('GET', `/api/tasks/${query}`, { token: user.token }))).map(
        (t: Json) => t.id,
      );
    expect(await list(viewer)).toEqual([inProject.id, own.id]);
    expect(await list(owner)).toEqual([inProject.id]);
    expect(await list(viewer, `?project=${project.id}`)).toEqual([inProject.id]);
    expect(await list(viewer, '?project=none')).toEqual([own.id]);
    expect(await list(stranger, `?project=${project.id}`)).toEqual([]);
    expect(await list(staff, '?project=none')).toEqual([own.id, hidden.id]);
    expect(await list(viewer, '?ordering=-title')).toEqual([inProject.id, own.id]);
    const bad = await h.request('GET', '/api/tasks/?project=some', { token: viewer.token });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.project).toBeDefined();
  });
});
