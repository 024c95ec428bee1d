import { beforeEach, describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../src/domain/priority.ts';
import { type Harness, harness, nextPath, type SignedUp } from '../harness.ts';

interface TaskBody {
  id: number;
  title: string;
  status: string;
  due_at: string | null;
  priority: string;
  labels: string[];
  version: number;
}

let h: Harness;
let ada: SignedUp;
let bob: SignedUp;
let staff: SignedUp;

beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
  bob = await h.signUp();
  staff = await h.signUp({ staff: true });
});

async function send(method: string, path: string, json: unknown, by = ada) {
  const response = await h.request(method, path, { token: by.token, json });
  return { status: response.status, body: await response.json() };
}

async function create(body: Record<string, unknown>, by = ada): Promise<TaskBody> {
  const { status, body: task } = await send('POST', '/api/tasks/', { title: 't', ...body }, by);
  expect(status).toBe(201);
  return task;
}

async function list(query: string, by = ada): Promise<TaskBody[]> {
  const response = await h.request('GET', `/api/tasks/?${query}`, { token: by.token });
  expect(response.status).toBe(200);
  return response.json();
}

const ids = (tasks: TaskBody[]) => tasks.map((task) => task.id);

describe('due_at', () => {
  it('is null by default and returned in UTC whatever offset it was sent with', async () => {
    expect((await create({})).due_at).toBeNull();
    const task = await create({ due_at: '2026-03-01T17:30:00+02:00' });
    expect(task.due_at).toBe('2026-03-01T15:30:00.000Z');
    const cleared = await send('PATCH', `/api/tasks/${task.id}/`, { due_at: null });
    expect(cleared.body.due_at).toBeNull();
  });

  it.each([
    ['no offset', '2026-03-01T17:30:00'],
    ['a date only', '2026-03-01'],
    ['an impossible date', '2026-02-30T00:00:00Z'],
    ['garbage', 'tomorrow'],
    ['a number', 1_767_225_600],
    ['the year 0000', '0000-06-01T00:00:00Z'],
  ])('refuses %s with 400, changing nothing', async (_, value) => {
    const task = await create({});
    const response = await send('PATCH', `/api/tasks/${task.id}/`, { due_at: value });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toEqual(['due_at']);
    expect((await send('GET', `/api/tasks/${task.id}/`, undefined)).body.version).toBe(1);
  });

  it('counts sending the same instant in another offset as no change', async () => {
    const task = await create({ due_at: '2026-03-01T15:30:00Z' });
    const same = await send('PATCH', `/api/tasks/${task.id}/`, {
      due_at: '2026-03-01T16:30:00+01:00',
    });
    expect(same.body.version).toBe(1);
  });
});

describe('priority', () => {
  it('is none by default and takes each level', async () => {
    expect((await create({})).priority).toBe('none');
    for (const priority of PRIORITIES) expect((await create({ priority })).priority).toBe(priority);
  });

  it.each(['URGENT', 'critical', '', 3, null])('refuses %j with 400', async (priority) => {
    const response = await send('POST', '/api/tasks/', { title: 't', priority });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toEqual(['priority']);
  });
});

describe('labels', () => {
  it('are trimmed, merged ignoring case (first spelling kept) and sorted ignoring case', async () => {
    const task = await create({ labels: [' bug ', 'Backend', 'BUG', 'api', 'Straße', 'STRASSE'] });
    expect(task.labels).toEqual(['api', 'Backend', 'bug', 'Straße']);
    expect((await create({})).labels).toEqual([]);
  });

  it('are replaced as a whole by PUT and PATCH, and [] clears them', async () => {
    const task = await create({ labels: ['a', 'b'] });
    const patched = await send('PATCH', `/api/tasks/${task.id}/`, { labels: ['c'] });
    expect(patched.body.labels).toEqual(['c']);
    const put = await send('PUT', `/api/tasks/${task.id}/`, { title: 't', labels: ['d', 'e'] });
    expect(put.body.labels).toEqual(['d', 'e']);
    const kept = await send('PUT', `/api/tasks/${task.id}/`, { title: 't' });
    expect(kept.body.labels).toEqual(['d', 'e']);
    const cleared = await send('PATCH', `/api/tasks/${task.id}/`, { labels: [] });
    expect(cleared.body.labels).toEqual([]);
  });

  it('count the same set in another order or spelling of case as no change', async () => {
    const task = await create({ labels: ['a', 'B'] });
    const same = await send('PATCH', `/api/tasks/${task.id}/`, { labels: ['B', 'a', 'A '] });
    expect(same.body).toMatchObject({ labels: ['a', 'B'], version: 1 });
  });

  it('take up to 20 labels of up to 50 characters', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    expect((await create({ labels: [...twenty, 'L00'] })).labels).toEqual(twenty);
    expect((await create({ labels: ['😀'.repeat(50)] })).labels).toEqual(['😀'.repeat(50)]);
  });

  it.each([
    ['a blank label', ['ok', '  ']],
    ['a label of 51 characters', ['x'.repeat(51)]],
    ['a comma', ['a,b']],
    ['21 labels', Array.from({ length: 21 }, (_, i) => `l${i}`)],
    ['a string', 'bug'],
    ['a number in the list', ['a', 1]],
    ['null', null],
  ])('refuse %s with 400', async (_, labels) => {
    const response = await send('POST', '/api/tasks/', { title: 't', labels });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toEqual([expect.stringMatching(/^labels(\.\d+)?$/)]);
  });
});

describe('who changes the new fields', () => {
  it('lets the assignee change only the status, as before', async () => {
    const task = await create({ assigned_to: bob.id });
    for (const change of [
      { due_at: '2026-03-01T00:00:00Z' },
      { priority: 'high' },
      { labels: ['x'] },
    ]) {
      const response = await send('PATCH', `/api/tasks/${task.id}/`, change, bob);
      expect(response.status).toBe(403);
    }
  });
});

describe('filters', () => {
  let early: TaskBody;
  let late: TaskBody;
  let undated: TaskBody;
  let done: TaskBody;

  beforeEach(async () => {
    early = await create({ due_at: '2026-01-01T08:00:00Z', priority: 'high', labels: ['Bug'] });
    late = await create({ due_at: '2026-01-03T00:00:00Z', priority: 'low', labels: ['bug', 'ui'] });
    undated = await create({ priority: 'high', labels: ['UI'] });
    done = await create({ due_at: '2026-01-01T07:00:00Z', status: 'completed' });
  });

  it('due_before and due_after are exclusive and never match an undated task', async () => {
    expect(ids(await list('due_before=2026-01-03T00:00:00Z'))).toEqual([early.id, done.id]);
    expect(ids(await list('due_before=2026-01-03T00:00:00.001Z'))).toEqual([
      early.id,
      late.id,
      done.id,
    ]);
    expect(ids(await list('due_after=2026-01-01T08:00:00Z'))).toEqual([late.id]);
    expect(ids(await list('due_after=2026-01-01T10:00:00%2B02:00'))).toEqual([late.id]);
    expect(
      ids(await list('due_after=2026-01-01T00:00:00Z&due_before=2026-01-02T00:00:00Z')),
    ).toEqual([early.id, done.id]);
  });

  it('overdue=true: pending and due before now', async () => {
    expect(ids(await list('overdue=true'))).toEqual([early.id]);
    expect(ids(await list('overdue=true&status=completed'))).toEqual([]);
    expect(ids(await list('overdue=false'))).toEqual([early.id, late.id, undated.id, done.id]);
    h.clock.advance(2 * 24 * 3_600_000);
    const later = { ...ada, token: (await h.logIn(ada.username)).access };
    expect(ids(await list('overdue=true', later))).toEqual([early.id, late.id]);
    expect(ids(await list('overdue=true&due_after=2026-01-02T00:00:00Z', later))).toEqual([
      late.id,
    ]);
  });

  it('priority=<level>', async () => {
    expect(ids(await list('priority=high'))).toEqual([early.id, undated.id]);
    expect(ids(await list('priority=none'))).toEqual([done.id]);
    expect(ids(await list('priority=urgent'))).toEqual([]);
  });

  it('label ignores case, and repeated means every one', async () => {
    expect(ids(await list('label=BUG'))).toEqual([early.id, late.id]);
    expect(ids(await list('label=%20ui%20'))).toEqual([late.id, undated.id]);
    expect(ids(await list('label=bug&label=UI'))).toEqual([late.id]);
    expect(ids(await list('label=bug&label=bug'))).toEqual([early.id, late.id]);
    expect(ids(await list('label=nothing'))).toEqual([]);
  });

  it('combine with each other and with visibility', async () => {
    await create({ priority: 'high', labels: ['bug'] }, bob);
    expect(ids(await list('label=bug&priority=high'))).toEqual([early.id]);
    expect(ids(await list('label=bug&priority=high', staff))).toHaveLength(2);
  });

  it.each([
    'due_before=yesterday',
    'due_before=2026-01-01',
    'due_after=2026-01-01T00:00:00',
    // No task is due in the year 0000 (UTC), which PostgreSQL has no text for.
    'due_after=0000-01-01T00:00:00Z&search=x',
    'due_before=0001-01-01T00:30:00%2B01:00',
    'overdue=yes',
    'priority=critical',
    'label=',
    'label=a,b',
    `label=${'x'.repeat(51)}`,
    Array.from({ length: 21 }, (_, i) => `label=l${i}`).join('&'),
  ])('refuses %s with 400', async (query) => {
    const response = await h.request('GET', `/api/tasks/?${query}`, { token: ada.token });
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toContain('application/problem+json');
  });
});

describe('orderings', () => {
  it('due_at puts undated tasks last, -due_at first; ties go by id', async () => {
    const a = await create({ due_at: '2026-02-01T00:00:00Z' });
    const none1 = await create({});
    const b = await create({ due_at: '2026-01-15T00:00:00Z' });
    const tie = await create({ due_at: '2026-02-01T00:00:00Z' });
    const none2 = await create({});
    expect(ids(await list('ordering=due_at'))).toEqual([b.id, a.id, tie.id, none1.id, none2.id]);
    expect(ids(await list('ordering=-due_at'))).toEqual([none2.id, none1.id, tie.id, a.id, b.id]);
  });

  it('priority goes none to urgent, -priority urgent first; ties go by id', async () => {
    const tasks: Record<string, TaskBody> = {};
    for (const priority of ['medium', 'urgent', 'none', 'low', 'high'])
      tasks[priority] = await create({ priority });
    const tie = await create({ priority: 'urgent' });
    const order = (names: string[]) => names.map((name) => tasks[name]?.id);
    expect(ids(await list('ordering=priority'))).toEqual([
      ...order(['none', 'low', 'medium', 'high', 'urgent']),
      tie.id,
    ]);
    expect(ids(await list('ordering=-priority'))).toEqual([
      tie.id,
      ...order(['urgent', 'high', 'medium', 'low', 'none']),
    ]);
  });
});

/** What each ordering sorts by, with undated tasks at the far end, as the contract puts them. */
const sortKey: Record<string, (task: TaskBody) => number> = {
  due_at: (task) => (task.due_at === null ? Number.POSITIVE_INFINITY : Date.parse(task.due_at)),
  priority: (task) => PRIORITIES.indexOf(task.priority as (typeof PRIORITIES)[number]),
};

describe.each(['due_at', '-due_at', 'priority', '-priority'])(
  'keyset pages in ordering=%s',
  (ordering) => {
    const field = ordering.replace('-', '');
    const direction = ordering.startsWith('-') ? -1 : 1;
    const inOrder = (a: TaskBody, b: TaskBody) =>
      direction * ((sortKey[field]?.(a) ?? 0) - (sortKey[field]?.(b) ?? 0) || a.id - b.id);

    let counter = 0;
    /** Few distinct values, so that ties and undated tasks fill whole pages. */
    const varied = () => {
      counter += 1;
      const day = counter % 4;
      return {
        title: `t${counter}`,
        due_at: day === 0 ? null : `2026-0${day}-01T00:00:00Z`,
        priority: PRIORITIES[counter % 3],
        assigned_to: counter % 2 === 0 ? ada.id : null,
      };
    };

    it.each([
      ['a user (two merged index scans)', () => ada],
      ['staff (one index scan)', () => staff],
    ])('walks to the end with small pages while tasks are added: %s', async (_, viewer) => {
      for (let i = 0; i < 23; i++) await create(varied(), i % 3 === 0 ? bob : ada);
      // Every task the viewer could see when the walk began: each must turn up on some page.
      const expected = (await list(`ordering=${ordering}&limit=200`, viewer())).map((t) => t.id);

      const seen: TaskBody[] = [];
      let next: string | null = `/api/tasks/?ordering=${ordering}&limit=2`;
      while (next) {
        const response = await h.request('GET', next, { token: viewer().token });
        expect(response.status).toBe(200);
        seen.push(...(await response.json()));
        next = nextPath(response);
        // Rows land on both sides of the cursor while the walk goes on.
        await create(varied());
      }

      const seenIds = ids(seen);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      expect([...seen].sort(inOrder)).toEqual(seen);
      const existing = new Set(seenIds);
      expect(expected.length).toBeGreaterThan(10);
      expect(expected.filter((id) => !existing.has(id))).toEqual([]);
    });
  },
);
