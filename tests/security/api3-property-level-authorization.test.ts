// OWASP API3:2023 Broken Object Property Level Authorization: a client writes only the fields it
// may write (read-only ones are ignored, unknown ones refused) and reads only the fields it may read.
import { beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type Json, PASSWORD } from '../harness.ts';
import { type Parties, parties, taskPath } from './fixtures.ts';

let h: Harness;
let p: Parties;

beforeEach(async () => {
  h = await harness();
  p = await parties(h);
});

const SPOOFED = {
  id: 4242,
  created_by: 1,
  created_at: '2000-01-01T00:00:00.000Z',
  updated_at: '2000-01-01T00:00:00.000Z',
  completed_at: '2000-01-01T00:00:00.000Z',
  version: 999,
};

async function create(body: Json = {}) {
  const response = await h.request('POST', '/api/tasks/', {
    token: p.creator.token,
    json: { title: 'Spoof me', assigned_to: p.assignee.id, ...body },
  });
  expect(response.status).toBe(201);
  return response.json();
}

describe('read-only task fields', () => {
  it('are ignored on create: the server decides id, owner, times and version', async () => {
    const task = await create({ ...SPOOFED, created_by: p.stranger.id, status: 'pending' });
    expect(task).toMatchObject({
      created_by: p.creator.id,
      created_at: '2026-01-01T09:00:00.000Z',
      updated_at: '2026-01-01T09:00:00.000Z',
      completed_at: null,
      version: 1,
    });
    expect(task.id).not.toBe(SPOOFED.id);
    expect((await h.request('GET', taskPath(SPOOFED.id), { token: p.staff.token })).status).toBe(
      404,
    );
  });

  it('are ignored on PUT and PATCH, for the creator and for the assignee', async () => {
    const task = await create();
    h.clock.advance(60_000);
    for (const [party, body] of [
      ['creator', { title: 'Renamed' }],
      ['assignee', { status: 'completed' }],
    ] as const)
      for (const method of ['PUT', 'PATCH']) {
        const before = await (
          await h.request('GET', taskPath(task.id), { token: p.staff.token })
        ).json();
        const response = await h.request(method, taskPath(task.id), {
          token: p[party].token,
          json: { ...before, ...SPOOFED, created_by: p[party].id, ...body },
        });
        expect(response.status, `${party} ${method}`).toBe(200);
        const after = await response.json();
        expect(after).toMatchObject({
          id: task.id,
          created_by: p.creator.id,
          created_at: task.created_at,
        });
        expect(after.version).toBeLessThanOrEqual(before.version + 1);
      }
  });

  it('cannot hand a task to another owner, even through the assignee status route', async () => {
    const task = await create();
    const response = await h.request('PATCH', taskPath(task.id), {
      token: p.assignee.token,
      json: { status: 'completed', created_by: p.assignee.id },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).created_by).toBe(p.creator.id);
    expect((await h.request('DELETE', taskPath(task.id), { token: p.assignee.token })).status).toBe(
      403,
    );
  });

  it('version in the body is no precondition and no way to set the version', async () => {
    const task = await create();
    await h.request('PATCH', taskPath(task.id), { token: p.creator.token, json: { title: 'v2' } });
    const stale = await h.request('PATCH', taskPath(task.id), {
      token: p.creator.token,
      json: { title: 'v3', version: 1 },
    });
    expect(stale.status).toBe(200);
    expect((await stale.json()).version).toBe(3);
    const rewound = await h.request('PATCH', taskPath(task.id), {
      token: p.creator.token,
      json: { version: 1 },
    });
    expect((await rewound.json()).version).toBe(3);
  });

  it('completed_at follows the status only, never the client', async () => {
    const task = await create();
    h.clock.advance(5000);
    const done = await h.request('PATCH', taskPath(task.id), {
      token: p.assignee.token,
      json: { status: 'completed', completed_at: '1999-12-31T23:59:59.000Z' },
    });
    expect((await done.json()).completed_at).toBe('2026-01-01T09:00:05.000Z');
    const pending = await h.request('PATCH', taskPath(task.id), {
      token: p.creator.token,
      json: { completed_at: '1999-12-31T23:59:59.000Z' },
    });
    expect((await pending.json()).completed_at).toBe('2026-01-01T09:00:05.000Z');
  });
});

describe('unknown task fields', () => {
  it.each([
    ['an owner by another name', { owner: 2 }],
    ['camelCase spellings', { createdBy: 2, assignedTo: 2 }],
    ['a staff flag', { is_staff: true }],
    ['a nested object', { meta: { created_by: 2 } }],
  ])('are refused with 400, %s, and nothing is written', async (_, extra) => {
    const task = await create();
    for (const [method, path] of [
      ['POST', '/api/tasks/'],
      ['PUT', taskPath(task.id)],
      ['PATCH', taskPath(task.id)],
    ] as const) {
      const response = await h.request(method, path, {
        token: p.creator.token,
        json: { title: 'Changed', ...extra },
      });
      expect(response.status, method).toBe(400);
      expect(Object.keys((await response.json()).errors).sort()).toEqual(Object.keys(extra).sort());
    }
    const list = await h.request('GET', '/api/tasks/', { token: p.staff.token });
    expect(await list.json()).toEqual([task]);
  });
});

describe('account fields', () => {
  it('registration cannot make a staff, inactive, backdated or numbered account', async () => {
    await create();
    const response = await h.request('POST', '/register/', {
      json: {
        username: 'mallory',
        password: PASSWORD,
        is_staff: true,
        is_superuser: true,
        isStaff: true,
        is_active: false,
        id: 1,
        date_joined: '2000-01-01T00:00:00Z',
        password_hash: '$2a$04$abcdefghijklmnopqrstuu',
      },
    });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created.id).not.toBe(1);
    expect(created.date_joined).toBe('2026-01-01T09:00:00.000Z');
    const { access } = await h.logIn('mallory');
    expect(await (await h.request('GET', '/api/me/', { token: access })).json()).toMatchObject({
      is_staff: false,
    });
    const everyTask = await h.request('GET', '/api/tasks/', { token: access });
    expect(await everyTask.json()).toEqual([]);
  });

  it('log-in cannot ask for more than the account has', async () => {
    const response = await h.request('POST', '/api/token/', {
      json: { username: p.stranger.username, password: PASSWORD, is_staff: true, staff: true },
    });
    const { access } = await response.json();
    expect((await (await h.request('GET', '/api/me/', { token: access })).json()).is_staff).toBe(
      false,
    );
  });
});

describe('what responses expose', () => {
  it("never a password, a hash, or another user's e-mail", async () => {
    const withEmail = await h.request('POST', '/register/', {
      json: { username: 'carol', password: PASSWORD, email: 'carol@example.com' },
    });
    const carol = await h.logIn('carol');
    const task = await create();
    const bodies = [
      await withEmail.text(),
      await (await h.request('GET', '/api/users/', { token: p.stranger.token })).text(),
      await (await h.request('GET', '/api/users/?search=carol', { token: p.creator.token })).text(),
      await (await h.request('GET', '/api/me/', { token: carol.access })).text(),
      await (await h.request('GET', taskPath(task.id), { token: p.assignee.token })).text(),
      await (await h.request('GET', '/api/tasks/', { token: p.staff.token })).text(),
      await (
        await h.request('POST', '/api/token/', { json: { username: 'carol', password: PASSWORD } })
      ).text(),
    ];
    for (const body of bodies) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toMatch(/\$2[aby]\$|password|is_active/i);
    }
    // The e-mail is shown to its owner (registration and /api/me/) and nowhere else.
    expect(bodies.filter((body) => body.includes('carol@example.com'))).toHaveLength(2);
    const directory = JSON.parse(bodies[1] as string) as Json[];
    for (const entry of directory) expect(Object.keys(entry).sort()).toEqual(['id', 'username']);
  });
});
