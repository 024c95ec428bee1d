import { beforeEach, describe, expect, it } from 'vitest';
import { entryBy, taskDraft } from '../contracts/tasks.contract.ts';
import { type Harness, harness, nextPath, type SignedUp } from '../harness.ts';

interface TaskBody {
  id: number;
  title: string;
  status: string;
  assigned_to: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

let h: Harness;
let ada: SignedUp;
let bob: SignedUp;
let eve: SignedUp;

beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
  bob = await h.signUp();
  eve = await h.signUp();
});

async function create(by: SignedUp, body: Record<string, unknown>): Promise<TaskBody> {
  h.clock.advance(1000);
  const response = await h.request('POST', '/api/tasks/', { token: by.token, json: body });
  expect(response.status).toBe(201);
  return response.json();
}

async function list(path: string, by: SignedUp = ada): Promise<TaskBody[]> {
  const response = await h.request('GET', path, { token: by.token });
  expect(response.status).toBe(200);
  return response.json();
}

const ids = (tasks: TaskBody[]) => tasks.map((task) => task.id);

/** Follows `Link: rel="next"` to the end; returns every task seen, in order. */
async function walk(path: string, by: SignedUp = ada): Promise<TaskBody[]> {
  const seen: TaskBody[] = [];
  let next: string | null = path;
  while (next) {
    const response = await h.request('GET', next, { token: by.token });
    expect(response.status).toBe(200);
    seen.push(...(await response.json()));
    next = nextPath(response);
  }
  return seen;
}

describe('visibility', () => {
  it('lists what the caller created or is assigned; staff see everything', async () => {
    const mine = await create(ada, { title: 'mine' });
    const forMe = await create(bob, { title: 'for ada', assigned_to: ada.id });
    const notMine = await create(bob, { title: 'bob only' });
    expect(ids(await list('/api/tasks/'))).toEqual([mine.id, forMe.id]);
    expect(ids(await list('/api/tasks/', eve))).toEqual([]);
    const staff = await h.signUp({ staff: true });
    expect(ids(await list('/api/tasks/', staff))).toEqual([mine.id, forMe.id, notMine.id]);
  });
});

describe('filters', () => {
  let a: TaskBody;
  let b: TaskBody;
  let c: TaskBody;
  let d: TaskBody;
  beforeEach(async () => {
    a = await create(ada, { title: 'Buy MILK', assigned_to: bob.id });
    b = await create(ada, { title: 'Write', description: 'about milk', status: 'completed' });
    c = await create(bob, { title: 'Review', assigned_to: ada.id });
    d = await create(ada, { title: 'Plan', assigned_to: ada.id, status: 'completed' });
  });

  it.each([
    ['status=pending', () => [a, c]],
    ['status=completed', () => [b, d]],
    ['assigned_to=me', () => [c, d]],
    ['assigned_to=none', () => [b]],
    ['created_by=me', () => [a, b, d]],
    ['search=milk', () => [a, b]],
    ['search=MiLk&status=pending', () => [a]],
    ['created_by=me&assigned_to=me', () => [d]],
  ])('%s', async (query, expected) => {
    expect(ids(await list(`/api/tasks/?${query}`))).toEqual(ids(expected()));
  });

  it('filters by explicit user ids', async () => {
    expect(ids(await list(`/api/tasks/?assigned_to=${bob.id}`))).toEqual([a.id]);
    expect(ids(await list(`/api/tasks/?created_by=${bob.id}`))).toEqual([c.id]);
  });

  it('treats an empty search as no filter', async () => {
    expect(await list('/api/tasks/?search=')).toHaveLength(4);
  });

  it.each([
    'status=done',
    'status=pending&status=completed',
    'assigned_to=someone',
    'assigned_to=-1',
    'created_by=none',
    'ordering=colour',
    'ordering=--id',
    `search=${'x'.repeat(201)}`,
    'limit=0',
    'limit=-5',
    'limit=ten',
    'limit=',
    'cursor=garbage',
  ])('refuses %s with 400', async (query) => {
    const response = await h.request('GET', `/api/tasks/?${query}`, { token: ada.token });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toBeDefined();
  });
});

describe('ordering and pagination', () => {
  const titles = ['delta', 'Alpha', 'charlie', 'bravo', 'alpha', 'Écho', 'echo'];
  let created: TaskBody[];
  beforeEach(async () => {
    created = [];
    for (const title of titles) created.push(await create(ada, { title }));
    // Touch some tasks so updated_at differs from creation order, with ties.
    for (const task of [created[2], created[0]]) {
      h.clock.advance(1000);
      await h.request('PATCH', `/api/tasks/${task?.id}/`, {
        token: ada.token,
        json: { description: 'touched' },
      });
    }
  });

  const byKey = (key: (t: TaskBody) => string | number) => (x: TaskBody, y: TaskBody) => {
    const kx = key(x);
    const ky = key(y);
    if (kx < ky) return -1;
    if (kx > ky) return 1;
    return x.id - y.id;
  };

  it.each([
    ['id', byKey((t) => t.id)],
    ['created_at', byKey((t) => t.created_at)],
    ['updated_at', byKey((t) => t.updated_at)],
    ['title', byKey((t) => t.title)],
  ])('walks every page by %s, both ways, with no repeats or gaps', async (field, compare) => {
    const all = await list('/api/tasks/?limit=200');
    for (const descending of [false, true]) {
      const expected = [...all].sort(compare);
      if (descending) expected.reverse();
      for (const limit of [1, 2, 3, 7]) {
        const seen = await walk(
          `/api/tasks/?ordering=${descending ? '-' : ''}${field}&limit=${limit}`,
        );
        expect(ids(seen)).toEqual(ids(expected));
      }
    }
  });

  it('orders titles by code point, uppercase before lowercase', async () => {
    expect((await list('/api/tasks/?ordering=title')).map((t) => t.title)).toEqual([
      'Alpha',
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
      'Écho',
    ]);
  });

  it('announces the next page with an absolute Link that keeps the filters', async () => {
    const response = await h.request('GET', '/api/tasks/?limit=2&ordering=-title&search=a', {
      token: ada.token,
    });
    const link = response.headers.get('Link') ?? '';
    expect(link).toMatch(/^<http:\/\/localhost\/api\/tasks\/\?[^>]*cursor=[^>]+>; rel="next"$/);
    const url = new URL(/<([^>]+)>/.exec(link)?.[1] ?? '');
    expect(url.searchParams.get('ordering')).toBe('-title');
    expect(url.searchParams.get('search')).toBe('a');
    expect(url.searchParams.get('limit')).toBe('2');
  });

  it('sends no Link on the last page', async () => {
    const response = await h.request('GET', '/api/tasks/?limit=7', { token: ada.token });
    expect(response.headers.get('Link')).toBeNull();
  });

  it('refuses a tampered cursor and one made for another ordering', async () => {
    const response = await h.request('GET', '/api/tasks/?limit=2&ordering=title', {
      token: ada.token,
    });
    const cursor = new URL(
      /<([^>]+)>/.exec(response.headers.get('Link') ?? '')?.[1] ?? '',
    ).searchParams.get('cursor') as string;
    const [data, mac] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['title', { value: 'a', id: 1 }])).toString(
      'base64url',
    );
    for (const bad of [`${forged}.${mac}`, `${data}x.${mac}`, `${data}.`, data])
      expect(
        (await h.request('GET', `/api/tasks/?ordering=title&cursor=${bad}`, { token: ada.token }))
          .status,
      ).toBe(400);
    const other = await h.request('GET', `/api/tasks/?ordering=-title&cursor=${cursor}`, {
      token: ada.token,
    });
    expect(other.status).toBe(400);
    expect((await other.json()).errors).toEqual({ cursor: ['Invalid cursor.'] });
  });

  it('does not repeat or skip rows when tasks are added between pages', async () => {
    const first = await h.request('GET', '/api/tasks/?limit=3', { token: ada.token });
    const page1 = ids(await first.json());
    const added = await create(ada, { title: 'late' });
    const rest = await walk(nextPath(first) as string);
    expect([...page1, ...ids(rest)]).toEqual([...ids(created), added.id]);
  });
});

describe('limit', () => {
  it('defaults to 50 and clamps anything above 200', async () => {
    const staff = await h.signUp({ staff: true });
    for (let i = 0; i < 201; i++)
      await h.deps.tasks.add(taskDraft(staff.id, { title: `t${i}` }), entryBy(staff.id));
    expect(await list('/api/tasks/', staff)).toHaveLength(50);
    expect(await list('/api/tasks/?limit=1000', staff)).toHaveLength(200);
    expect(await list('/api/tasks/?limit=99999999999999999999', staff)).toHaveLength(200);
  });
});
