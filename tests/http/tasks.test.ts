import { beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type SignedUp } from '../harness.ts';

let h: Harness;
let creator: SignedUp;
let assignee: SignedUp;
let stranger: SignedUp;
let staff: SignedUp;

beforeEach(async () => {
  h = await harness();
  creator = await h.signUp();
  assignee = await h.signUp();
  stranger = await h.signUp();
  staff = await h.signUp({ staff: true });
});

async function newTask(body: Record<string, unknown> = {}, by = creator) {
  const response = await h.request('POST', '/api/tasks/', {
    token: by.token,
    json: { title: 'Write docs', assigned_to: assignee.id, ...body },
  });
  expect(response.status).toBe(201);
  return response.json();
}

describe('POST /api/tasks/', () => {
  it('creates a task owned by the caller, with Location and ETag', async () => {
    const response = await h.request('POST', '/api/tasks/', {
      token: creator.token,
      json: { title: '  Write docs  ', description: 'All of them', assigned_to: assignee.id },
    });
    expect(response.status).toBe(201);
    const task = await response.json();
    expect(task).toEqual({
      id: expect.any(Number),
      title: 'Write docs',
      description: 'All of them',
      status: 'pending',
      assigned_to: assignee.id,
      project: null,
      due_at: null,
      priority: 'none',
      labels: [],
      created_by: creator.id,
      created_at: '2026-01-01T09:00:00.000Z',
      updated_at: '2026-01-01T09:00:00.000Z',
      completed_at: null,
      version: 1,
    });
    expect(response.headers.get('Location')).toBe(`/api/tasks/${task.id}/`);
    expect(response.headers.get('ETag')).toBe('"1"');
  });

  it('ignores read-only fields and refuses unknown ones', async () => {
    const task = await newTask({
      id: 999,
      created_by: stranger.id,
      version: 40,
      completed_at: 'x',
    });
    expect(task).toMatchObject({ created_by: creator.id, version: 1, completed_at: null });
    expect(task.id).not.toBe(999);
    const unknown = await h.request('POST', '/api/tasks/', {
      token: creator.token,
      json: { title: 'x', colour: 'red' },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors).toEqual({ colour: ['Unknown field.'] });
  });

  it.each([
    ['no title', {}, 'title', 'This field is required.'],
    ['a blank title', { title: '   ' }, 'title', 'This field may not be blank.'],
    [
      'a long title',
      { title: 'x'.repeat(256) },
      'title',
      'Ensure this field has no more than 255 characters.',
    ],
    ['a null title', { title: null }, 'title', 'This field may not be null.'],
    ['a number for a title', { title: 5 }, 'title', 'Not a valid string.'],
    [
      'an unknown status',
      { title: 'x', status: 'done' },
      'status',
      '"done" is not a valid choice.',
    ],
    [
      'a long description',
      { title: 'x', description: 'x'.repeat(10_001) },
      'description',
      'Ensure this field has no more than 10000 characters.',
    ],
    [
      'a string assignee',
      { title: 'x', assigned_to: 'me' },
      'assigned_to',
      'A valid integer is required.',
    ],
    [
      'a fractional assignee',
      { title: 'x', assigned_to: 1.5 },
      'assigned_to',
      'A valid integer is required.',
    ],
    [
      'a huge assignee',
      { title: 'x', assigned_to: 1e300 },
      'assigned_to',
      'Ensure this value is less than or equal to 2147483647.',
    ],
    [
      'assignee 0',
      { title: 'x', assigned_to: 0 },
      'assigned_to',
      'Ensure this value is greater than or equal to 1.',
    ],
    [
      'a missing assignee',
      { title: 'x', assigned_to: 424242 },
      'assigned_to',
      'Invalid pk "424242" - object does not exist.',
    ],
  ])('refuses %s', async (_, json, field, message) => {
    const response = await h.request('POST', '/api/tasks/', { token: creator.token, json });
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect((await response.json()).errors[field]).toEqual([message]);
  });

  it('stamps completed_at when created as completed', async () => {
    const task = await newTask({ status: 'completed' });
    expect(task.completed_at).toBe('2026-01-01T09:00:00.000Z');
    expect(await h.completions()).toHaveLength(1);
  });

  it('needs authentication', async () => {
    expect((await h.request('POST', '/api/tasks/', { json: { title: 'x' } })).status).toBe(401);
  });
});

describe('GET /api/tasks/{id}/', () => {
  it('shows the task to creator, assignee and staff, and 404 to anyone else', async () => {
    const task = await newTask();
    for (const [who, status] of [
      [creator, 200],
      [assignee, 200],
      [staff, 200],
      [stranger, 404],
    ] as const)
      expect((await h.request('GET', `/api/tasks/${task.id}/`, { token: who.token })).status).toBe(
        status,
      );
  });

  it('answers 304 when If-None-Match names the current version', async () => {
    const task = await newTask();
    const first = await h.request('GET', `/api/tasks/${task.id}/`, { token: creator.token });
    const etag = first.headers.get('ETag') as string;
    expect(etag).toBe('"1"');
    for (const tag of [etag, `W/${etag}`, `"0", ${etag}`, '*']) {
      const cached = await h.request('GET', `/api/tasks/${task.id}/`, {
        token: creator.token,
        headers: { 'If-None-Match': tag },
      });
      expect(cached.status).toBe(304);
      expect(cached.headers.get('ETag')).toBe(etag);
      expect(await cached.text()).toBe('');
    }
    const stale = await h.request('GET', `/api/tasks/${task.id}/`, {
      token: creator.token,
      headers: { 'If-None-Match': '"0"' },
    });
    expect(stale.status).toBe(200);
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999', '2147483648', '1e3', '%20'])(
    'answers 404 for the id %s',
    async (id) => {
      const response = await h.request('GET', `/api/tasks/${id}/`, { token: creator.token });
      expect(response.status).toBe(404);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    },
  );
});

describe('PUT and PATCH /api/tasks/{id}/', () => {
  it('PUT needs a title and keeps the optional fields left out', async () => {
    const task = await newTask({ description: 'keep me' });
    h.clock.advance(60_000);
    const put = await h.request('PUT', `/api/tasks/${task.id}/`, {
      token: creator.token,
      json: { title: 'Renamed' },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({
      title: 'Renamed',
      description: 'keep me',
      assigned_to: assignee.id,
      version: 2,
      updated_at: '2026-01-01T09:01:00.000Z',
      created_at: '2026-01-01T09:00:00.000Z',
    });
    expect(put.headers.get('ETag')).toBe('"2"');
    const missing = await h.request('PUT', `/api/tasks/${task.id}/`, {
      token: creator.token,
      json: { description: 'no title' },
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors).toEqual({ title: ['This field is required.'] });
  });

  it('PATCH changes any subset; unassigning with null works', async () => {
    const task = await newTask();
    const response = await h.request('PATCH', `/api/tasks/${task.id}/`, {
      token: creator.token,
      json: { assigned_to: null },
    });
    expect(await response.json()).toMatchObject({ assigned_to: null, title: 'Write docs' });
  });

  it('lets the assignee PUT back the whole task with only the status changed', async () => {
    const task = await newTask();
    const response = await h.request('PUT', `/api/tasks/${task.id}/`, {
      token: assignee.token,
      json: { ...task, status: 'completed' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'completed',
      completed_at: '2026-01-01T09:00:00.000Z',
    });
  });

  it('refuses the assignee any other change with 403, and strangers with 404', async () => {
    const task = await newTask();
    for (const json of [
      { title: 'Mine now' },
      { assigned_to: stranger.id },
      { description: 'x' },
    ]) {
      const response = await h.request('PATCH', `/api/tasks/${task.id}/`, {
        token: assignee.token,
        json,
      });
      expect(response.status).toBe(403);
    }
    const byStranger = await h.request('PATCH', `/api/tasks/${task.id}/`, {
      token: stranger.token,
      json: { status: 'completed' },
    });
    expect(byStranger.status).toBe(404);
    const unchanged = await h.request('GET', `/api/tasks/${task.id}/`, { token: creator.token });
    expect(await unchanged.json()).toEqual(task);
  });

  it('lets staff change any task', async () => {
    const task = await newTask();
    const response = await h.request('PATCH', `/api/tasks/${task.id}/`, {
      token: staff.token,
      json: { title: 'Staff edit', assigned_to: stranger.id },
    });
    expect(response.status).toBe(200);
  });

  it('sets completed_at on completion and clears it on reopening', async () => {
    const task = await newTask();
    const path = `/api/tasks/${task.id}/`;
    h.clock.advance(1000);
    const done = await h.request('PATCH', path, {
      token: assignee.token,
      json: { status: 'completed' },
    });
    expect((await done.json()).completed_at).toBe('2026-01-01T09:00:01.000Z');
    const reopened = await h.request('PATCH', path, {
      token: assignee.token,
      json: { status: 'pending' },
    });
    expect(await reopened.json()).toMatchObject({ completed_at: null, version: 3 });
  });

  it('leaves version and updated_at alone when nothing changes', async () => {
    const task = await newTask();
    h.clock.advance(1000);
    const response = await h.request('PUT', `/api/tasks/${task.id}/`, {
      token: creator.token,
      json: task,
    });
    expect(await response.json()).toEqual(task);
  });

  it('honours If-Match: 412 on another version, success on the current one', async () => {
    const task = await newTask();
    const path = `/api/tasks/${task.id}/`;
    const stale = await h.request('PATCH', path, {
      token: creator.token,
      json: { title: 'x' },
      headers: { 'If-Match': '"7"' },
    });
    expect(stale.status).toBe(412);
    expect((await stale.json()).detail).toMatch(/If-Match/);
    for (const tag of ['W/"1"', 'garbage'])
      expect(
        (
          await h.request('PATCH', path, {
            token: creator.token,
            json: { title: 'x' },
            headers: { 'If-Match': tag },
          })
        ).status,
      ).toBe(412);
    const fresh = await h.request('PATCH', path, {
      token: creator.token,
      json: { title: 'x' },
      headers: { 'If-Match': '"1"' },
    });
    expect(fresh.status).toBe(200);
  });

  it('answers 404 for a task that does not exist', async () => {
    const response = await h.request('PATCH', '/api/tasks/4242/', {
      token: creator.token,
      json: { title: 'x' },
    });
    expect(response.status).toBe(404);
    expect((await response.json()).detail).toBe('No Task matches the given query.');
  });
});

describe('DELETE /api/tasks/{id}/', () => {
  it('lets creator and staff delete, refuses the assignee (403) and strangers (404)', async () => {
    const task = await newTask();
    const path = `/api/tasks/${task.id}/`;
    expect((await h.request('DELETE', path, { token: stranger.token })).status).toBe(404);
    expect((await h.request('DELETE', path, { token: assignee.token })).status).toBe(403);
    expect((await h.request('DELETE', path, { token: creator.token })).status).toBe(204);
    expect((await h.request('GET', path, { token: creator.token })).status).toBe(404);
    const other = await newTask();
    expect(
      (await h.request('DELETE', `/api/tasks/${other.id}/`, { token: staff.token })).status,
    ).toBe(204);
  });

  it('honours If-Match', async () => {
    const task = await newTask();
    const path = `/api/tasks/${task.id}/`;
    const stale = await h.request('DELETE', path, {
      token: creator.token,
      headers: { 'If-Match': '"2"' },
    });
    expect(stale.status).toBe(412);
    const fresh = await h.request('DELETE', path, {
      token: creator.token,
      headers: { 'If-Match': '"1"' },
    });
    expect(fresh.status).toBe(204);
  });
});
