// OWASP API1:2023 Broken Object Level Authorization, for projects and the tasks in them: every
// route that names a project or a member, and every task route on a task in a project, for each
// party. Whoever does not see a project gets 404 and learns nothing more; viewers get 403 on a
// change; a former member stands where a stranger does.
import { beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type Json, type SignedUp } from '../harness.ts';

type Party = 'owner' | 'editor' | 'viewer' | 'former' | 'stranger' | 'staff';
const PARTIES: Party[] = ['owner', 'editor', 'viewer', 'former', 'stranger', 'staff'];

let h: Harness;
let p: Record<Party, SignedUp>;
let project: Json;
let task: Json;

beforeEach(async () => {
  h = await harness();
  p = {} as Record<Party, SignedUp>;
  for (const party of PARTIES) p[party] = await h.signUp({ staff: party === 'staff' });
  project = await (
    await h.request('POST', '/api/projects/', { token: p.owner.token, json: { name: 'Payroll' } })
  ).json();
  for (const [party, role] of [
    ['editor', 'editor'],
    ['viewer', 'viewer'],
    ['former', 'editor'],
  ] as const)
    await h.request('PUT', `/api/projects/${project.id}/members/${p[party].id}/`, {
      token: p.owner.token,
      json: { role },
    });
  task = await (
    await h.request('POST', '/api/tasks/', {
      token: p.editor.token,
      json: { title: 'Salaries', project: project.id, assigned_to: p.viewer.id },
    })
  ).json();
  await h.request('DELETE', `/api/projects/${project.id}/members/${p.former.id}/`, {
    token: p.former.token,
  });
});

interface Case {
  method: string;
  path: (projectId: number | string) => string;
  body?: Json;
  expected: Record<Party, number>;
}

const projectCases: Record<string, Case> = {
  'GET the project': {
    method: 'GET',
    path: (id) => `/api/projects/${id}/`,
    expected: { owner: 200, editor: 200, viewer: 200, former: 404, stranger: 404, staff: 200 },
  },
  'PATCH its name': {
    method: 'PATCH',
    path: (id) => `/api/projects/${id}/`,
    body: { name: 'Renamed' },
    expected: { owner: 200, editor: 403, viewer: 403, former: 404, stranger: 404, staff: 200 },
  },
  'archive it': {
    method: 'PATCH',
    path: (id) => `/api/projects/${id}/`,
    body: { archived: true },
    expected: { owner: 200, editor: 403, viewer: 403, former: 404, stranger: 404, staff: 200 },
  },
  'DELETE it (it holds a task)': {
    method: 'DELETE',
    path: (id) => `/api/projects/${id}/`,
    expected: { owner: 409, editor: 403, viewer: 403, former: 404, stranger: 404, staff: 409 },
  },
  'GET its members': {
    method: 'GET',
    path: (id) => `/api/projects/${id}/members/`,
    expected: { owner: 200, editor: 200, viewer: 200, former: 404, stranger: 404, staff: 200 },
  },
  'PUT a member in as owner': {
    method: 'PUT',
    path: (id) => `/api/projects/${id}/members/${p.viewer.id}/`,
    body: { role: 'owner' },
    expected: { owner: 200, editor: 403, viewer: 403, former: 404, stranger: 404, staff: 200 },
  },
  "DELETE the editor's membership (the editor may leave)": {
    method: 'DELETE',
    path: (id) => `/api/projects/${id}/members/${p.editor.id}/`,
    expected: { owner: 204, editor: 204, viewer: 403, former: 404, stranger: 404, staff: 204 },
  },
};

const taskCases: Record<string, Omit<Case, 'path'>> = {
  'GET the task': {
    method: 'GET',
    expected: { owner: 200, editor: 200, viewer: 200, former: 404, stranger: 404, staff: 200 },
  },
  'PATCH the title': {
    method: 'PATCH',
    body: { title: 'Bonuses' },
    expected: { owner: 200, editor: 200, viewer: 403, former: 404, stranger: 404, staff: 200 },
  },
  // The viewer is the assignee too: the assignee's right to the status stands.
  'PATCH the status': {
    method: 'PATCH',
    body: { status: 'completed' },
    expected: { owner: 200, editor: 200, viewer: 200, former: 404, stranger: 404, staff: 200 },
  },
  'move it out of the project': {
    method: 'PATCH',
    body: { project: null },
    expected: { owner: 200, editor: 200, viewer: 403, former: 404, stranger: 404, staff: 200 },
  },
  'DELETE the task': {
    method: 'DELETE',
    expected: { owner: 204, editor: 204, viewer: 403, former: 404, stranger: 404, staff: 204 },
  },
};

const matrix = <C extends { expected: Record<Party, number> }>(cases: Record<string, C>) =>
  Object.entries(cases).flatMap(([name, c]) => PARTIES.map((party) => [name, party, c] as const));

const state = async () => ({
  project: await (
    await h.request('GET', `/api/projects/${project.id}/`, { token: p.staff.token })
  ).json(),
  members: await (
    await h.request('GET', `/api/projects/${project.id}/members/`, { token: p.staff.token })
  ).json(),
  task: await (await h.request('GET', `/api/tasks/${task.id}/`, { token: p.staff.token })).json(),
});

describe('project routes, for each party', () => {
  it.each(matrix(projectCases))('%s as the %s', async (_, party, c) => {
    const before = await state();
    const response = await h.request(c.method, c.path(project.id), {
      token: p[party].token,
      ...(c.body && { json: c.body }),
    });
    expect(response.status).toBe(c.expected[party]);
    if (response.status >= 400) expect(await state()).toEqual(before);
  });

  it.each(Object.entries(projectCases))(
    '%s: a stranger learns nothing a project that does not exist would not tell',
    async (_, c) => {
      const answer = async (id: number) => {
        const response = await h.request(c.method, c.path(id), {
          token: p.stranger.token,
          ...(c.body && { json: c.body }),
        });
        return [response.status, await response.json()];
      };
      expect(await answer(project.id)).toEqual(await answer(2_000_000));
    },
  );
});

describe('task routes on a task in a project, for each party', () => {
  it.each(matrix(taskCases))('%s as the %s', async (_, party, c) => {
    const before = await state();
    const response = await h.request(c.method, `/api/tasks/${task.id}/`, {
      token: p[party].token,
      ...(c.body && { json: c.body }),
    });
    expect(response.status).toBe(c.expected[party]);
    if (response.status >= 400) expect(await state()).toEqual(before);
  });
});

describe('lists and writes that name a hidden project', () => {
  const listed = async (party: Party, query = '') =>
    (await (await h.request('GET', `/api/tasks/${query}`, { token: p[party].token })).json()).map(
      (t: Json) => t.id,
    );

  it('show the task to the members and staff only, whatever the filter', async () => {
    for (const party of PARTIES)
      for (const query of ['', `?project=${project.id}`, `?created_by=${p.editor.id}`])
        expect((await listed(party, query)).includes(task.id)).toBe(
          !['former', 'stranger'].includes(party),
        );
    const projects = async (party: Party) =>
      (await (await h.request('GET', '/api/projects/', { token: p[party].token })).json()).map(
        (pr: Json) => pr.id,
      );
    expect(await projects('former')).toEqual([]);
    expect(await projects('stranger')).toEqual([]);
    expect(await projects('viewer')).toEqual([project.id]);
  });

  it('answer a task created into or moved into a hidden project as for an unknown one', async () => {
    const own = await (
      await h.request('POST', '/api/tasks/', { token: p.stranger.token, json: { title: 'Mine' } })
    ).json();
    for (const [method, path] of [
      ['POST', '/api/tasks/'],
      ['PATCH', `/api/tasks/${own.id}/`],
    ] as const) {
      const answer = async (id: number) => {
        const response = await h.request(method, path, {
          token: p.stranger.token,
          json: { title: 'Mine', project: id },
        });
        const body = await response.json();
        return [response.status, body.errors.project[0].replace(String(id), 'N')];
      };
      expect(await answer(project.id)).toEqual(await answer(2_000_000));
      expect((await answer(project.id))[0]).toBe(400);
    }
  });
});
