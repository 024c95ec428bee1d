import { expect } from 'vitest';
import { type Harness, harness, type Json, type SignedUp, type TestResponse } from '../harness.ts';

export interface World {
  h: Harness;
  ada: SignedUp;
  bob: SignedUp;
  eve: SignedUp;
  staff: SignedUp;
  /** Every party, for properties that pick who sends the request. */
  parties: SignedUp[];
  userIds: number[];
  taskIds: number[];
  /** A comment of bob's on the first task. */
  commentId: number;
  /** Ada's project (bob is a viewer of it, and one of the tasks is in it), and eve's own. */
  projectIds: number[];
}

/**
 * A small world to fuzz: four users (ada creates, bob is assigned, eve is a stranger, staff sees
 * all), a few tasks between them, one of them completed, and two projects: ada's, of which bob
 * is a viewer and which holds a task, and eve's.
 */
export async function fuzzWorld(): Promise<World> {
  const h = await harness();
  const ada = await h.signUp();
  const bob = await h.signUp();
  const eve = await h.signUp();
  const staff = await h.signUp({ staff: true });
  const projectIds: number[] = [];
  for (const owner of [ada, eve]) {
    const response = await h.request('POST', '/api/projects/', {
      token: owner.token,
      json: { name: `${owner.username}'s` },
    });
    projectIds.push((await response.json()).id);
  }
  await h.request('PUT', `/api/projects/${projectIds[0]}/members/${bob.id}/`, {
    token: ada.token,
    json: { role: 'viewer' },
  });
  const taskIds: number[] = [];
  for (const json of [
    { title: 'Assigned to bob', assigned_to: bob.id },
    { title: 'Done already', status: 'completed', assigned_to: bob.id },
    { title: 'Unassigned', description: 'ada only' },
    { title: 'In a project', project: projectIds[0], assigned_to: bob.id },
    {
      title: 'Due soon',
      assigned_to: bob.id,
      due_at: '2026-01-01T09:30:00Z',
      priority: 'urgent',
      labels: ['Bug', 'ui'],
    },
  ]) {
    const response = await h.request('POST', '/api/tasks/', { token: ada.token, json });
    taskIds.push((await response.json()).id);
  }
  const commented = await h.request('POST', `/api/tasks/${taskIds[0]}/comments/`, {
    token: bob.token,
    json: { body: 'Which format?' },
  });
  const commentId = (await commented.json()).id;
  const parties = [ada, bob, eve, staff];
  const userIds = parties.map((u) => u.id);
  return { h, ada, bob, eve, staff, parties, userIds, taskIds, commentId, projectIds };
}

/**
 * Everything a request could write, as one comparable value: tasks with their comments and
 * history, active users, projects and their members, the outbox.
 */
export async function snapshot(h: Harness) {
  const tasks = await h.deps.tasks.list({
    viewer: { id: 0, isStaff: true },
    ordering: { field: 'id', descending: false },
    limit: 100_000,
  });
  const page = { limit: 100_000 };
  const threads = await Promise.all(
    tasks.map(async (task) => [
      await h.deps.comments.list(task.id, page),
      await h.deps.history.list(task.id, page),
    ]),
  );
  const users = await h.deps.users.search({ limit: 100_000 });
  const projects = await h.deps.projects.list({ viewer: { id: 0, isStaff: true }, limit: 1000 });
  const members = await Promise.all(
    projects.map((view) => h.deps.memberships.list(view.project.id, { limit: 1000 })),
  );
  return JSON.stringify({ tasks, threads, users, projects, members, outbox: await h.outbox() });
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A request exactly as given: no JSON encoding, no default headers. */
export async function send(h: Harness, request: RawRequest): Promise<TestResponse> {
  return (await h.app.request(
    `http://localhost${request.path}`,
    { method: request.method, headers: request.headers, body: request.body },
    { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
  )) as TestResponse;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * What must hold for any request at all: no 5xx; a refusal is a problem document naming its
 * status and changes nothing; the request id echoed is never a malformed one.
 */
export async function expectHandledSafely(
  h: Harness,
  request: () => Promise<TestResponse>,
): Promise<TestResponse> {
  const before = await snapshot(h);
  const response = await request();
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('X-Request-Id')).toMatch(REQUEST_ID);
  if (response.status >= 400) {
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const body: Json = await response.clone().json();
    expect(body.status).toBe(response.status);
    expect(body.detail).toEqual(expect.any(String));
    expect(await snapshot(h)).toBe(before);
  }
  return response;
}
