// The soak's virtual users: what each does, and what the service acknowledged to them.

const PASSWORD = 'soak test password';

export interface Answer {
  /** 0 when no answer came. */
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read where the operation knows their shape
  body: any;
  headers: Headers;
}

export interface Stat {
  count: number;
  statuses: Map<number, number>;
  latencies: number[];
}

/** Every request of the load, by operation. */
export const stats = new Map<string, Stat>();

/** What the service acknowledged, against which its state is checked at the end. */
export const ledger = {
  /** Acknowledged creates, by creator. */
  created: new Map<string, Set<number>>(),
  deleted: new Set<number>(),
  /** Acknowledged transitions to completed, per task: each must have an event of its own. */
  completions: new Map<number, number>(),
  /**
   * Tasks created pending, assigned and due within the reminder lead, with their due date: each
   * is owed one reminder at once, unless a later write (in `touched`) withdrew it first.
   */
  dated: new Map<number, string>(),
  /** Tasks with an acknowledged write after their creation. */
  touched: new Set<number>(),
  /** 4xx answers that are not races between users, by operation and status. */
  unexpected: new Map<string, number>(),
  /** The first such answer's body, by operation and status, to say what went wrong. */
  unexpectedBodies: new Map<string, unknown>(),
};

/** One request, timed and counted under `operation` (null: not part of the load). */
async function request(
  url: string,
  operation: string | null,
  method: string,
  path: string,
  init: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const started = performance.now();
  let answer: Answer;
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(init.json !== undefined && { 'Content-Type': 'application/json' }),
        ...(init.token && { Authorization: `Bearer ${init.token}` }),
        ...init.headers,
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {}
    answer = { status: response.status, body, headers: response.headers };
  } catch {
    answer = { status: 0, body: null, headers: new Headers() };
  }
  if (operation === null) return answer;
  const stat: Stat = stats.get(operation) ?? { count: 0, statuses: new Map(), latencies: [] };
  stat.count += 1;
  stat.statuses.set(answer.status, (stat.statuses.get(answer.status) ?? 0) + 1);
  stat.latencies.push(performance.now() - started);
  stats.set(operation, stat);
  return answer;
}

/** Records a 4xx no healthy run gives; `races` are statuses concurrent users cause each other. */
function note(operation: string, answer: Answer, races: number[] = []) {
  const { status } = answer;
  if (status < 400 || status >= 500 || status === 429 || races.includes(status)) return;
  const key = `${operation} ${status}`;
  ledger.unexpected.set(key, (ledger.unexpected.get(key) ?? 0) + 1);
  if (!ledger.unexpectedBodies.has(key)) ledger.unexpectedBodies.set(key, answer.body);
}

function completion(taskId: number) {
  ledger.completions.set(taskId, (ledger.completions.get(taskId) ?? 0) + 1);
}

const WORDS = ['report', 'invoice', 'review', 'deploy', 'docs', 'budget', 'meeting', 'release'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const nextPath = (answer: Answer) => {
  const next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('Link') ?? '')?.[1];
  return next ? new URL(next).pathname + new URL(next).search : null;
};

interface TaskSeen {
  id: number;
  version: number;
  status: 'pending' | 'completed';
  created_by: number;
}

interface KnownTask {
  id: number;
  version: number;
  status: 'pending' | 'completed';
  mine: boolean;
}

/**
 * One person using the API: signs up, works on the tasks they created or were given, and writes
 * with If-Match, so that every acknowledged write says exactly which change it made.
 */
export class VirtualUser {
  readonly url: string;
  readonly username: string;
  id = 0;
  #access = '';
  #refresh = '';
  readonly #tasks = new Map<number, KnownTask>();

  constructor(url: string, username: string) {
    this.url = url;
    this.username = username;
    ledger.created.set(username, new Set());
  }

  async join(): Promise<void> {
    const registered = await request(this.url, 'register', 'POST', '/register/', {
      json: { username: this.username, password: PASSWORD },
    });
    note('register', registered);
    this.id = registered.body?.id ?? 0;
    await this.logIn();
  }

  async logIn(): Promise<void> {
    const answer = await request(this.url, 'log in', 'POST', '/api/token/', {
      json: { username: this.username, password: PASSWORD },
    });
    note('log in', answer);
    if (answer.status === 200) this.#keep(answer.body);
  }

  async refresh(): Promise<void> {
    const answer = await request(this.url, 'refresh', 'POST', '/api/token/refresh/', {
      json: { refresh: this.#refresh },
    });
    note('refresh', answer);
    if (answer.status === 200) this.#keep(answer.body);
    else await this.logIn();
  }

  #keep(pair: { access: string; refresh: string }) {
    this.#access = pair.access;
    this.#refresh = pair.refresh;
  }

  /** A request as this user; an expired access token is refreshed once and the request retried. */
  async #call(
    operation: string | null,
    method: string,
    path: string,
    init: { json?: unknown; headers?: Record<string, string> } = {},
  ) {
    let answer = await request(this.url, operation, method, path, { ...init, token: this.#access });
    if (answer.status === 401) {
      await this.refresh();
      answer = await request(this.url, operation, method, path, { ...init, token: this.#access });
    }
    return answer;
  }

  #learn(task: TaskSeen) {
    const { id, version, status } = task;
    this.#tasks.set(id, { id, version, status, mine: task.created_by === this.id });
  }

  #someTask(filter: (task: KnownTask) => boolean = () => true): KnownTask | undefined {
    const candidates = [...this.#tasks.values()].filter(filter);
    return candidates.length > 0 ? pick(candidates) : undefined;
  }

  async create(others: VirtualUser[]): Promise<void> {
    const completed = Math.random() < 0.15;
    const assigned = Math.random() < 0.6 && others.length > 0;
    // Due within the default lead of an hour, so that the reminder goes out at once.
    const dueAt =
      Math.random() < 0.5 ? new Date(Date.now() + (1 + Math.random() * 50) * 60_000) : null;
    const json = {
      title: `${pick(WORDS)} ${pick(WORDS)} ${Math.floor(Math.random() * 1000)}`,
      description: Math.random() < 0.5 ? `about ${pick(WORDS)}` : '',
      ...(assigned && { assigned_to: pick(others).id }),
      ...(completed && { status: 'completed' }),
      ...(dueAt && { due_at: dueAt.toISOString() }),
      priority: pick(['none', 'low', 'medium', 'high', 'urgent']),
      labels: Math.random() < 0.5 ? [pick(WORDS), pick(WORDS)] : [],
    };
    const answer = await this.#call('create', 'POST', '/api/tasks/', { json });
    note('create', answer);
    if (answer.status !== 201) return;
    ledger.created.get(this.username)?.add(answer.body.id);
    if (completed) completion(answer.body.id);
    if (assigned && dueAt && !completed) ledger.dated.set(answer.body.id, answer.body.due_at);
    this.#learn(answer.body);
  }

  async list(): Promise<void> {
    const filter = pick([
      '',
      'status=pending',
      'status=completed',
      'assigned_to=me',
      'created_by=me',
      `search=${pick(WORDS)}`,
      'assigned_to=none',
      'overdue=true',
      `priority=${pick(['none', 'high', 'urgent'])}`,
      `label=${pick(WORDS)}`,
      `due_before=${new Date(Date.now() + 1_800_000).toISOString()}`,
    ]);
    const ordering = pick([
      'id',
      '-id',
      'title',
      '-created_at',
      'updated_at',
      '-updated_at',
      'due_at',
      '-due_at',
      'priority',
      '-priority',
    ]);
    const limit = 5 + Math.floor(Math.random() * 20);
    let path: string | null = `/api/tasks/?${filter}&ordering=${ordering}&limit=${limit}`;
    for (let page = 0; path && page < 3; page++) {
      const answer = await this.#call('list', 'GET', path);
      note('list', answer);
      if (answer.status !== 200) return;
      for (const task of answer.body) this.#learn(task);
      path = Math.random() < 0.6 ? nextPath(answer) : null;
    }
  }

  async read(): Promise<void> {
    const task = this.#someTask();
    if (!task) return this.list();
    const answer = await this.#call('read', 'GET', `/api/tasks/${task.id}/`, {
      headers: Math.random() < 0.3 ? { 'If-None-Match': `"${task.version}"` } : {},
    });
    note('read', answer, [404]);
    if (answer.status === 200) this.#learn(answer.body);
    if (answer.status === 404) this.#tasks.delete(task.id);
  }

  /** A conditional write; on 404 or 412 another user got there first, which is no fault. */
  async #write(operation: string, task: KnownTask, method: 'PATCH' | 'DELETE', json?: object) {
    const answer = await this.#call(operation, method, `/api/tasks/${task.id}/`, {
      json,
      headers: { 'If-Match': `"${task.version}"` },
    });
    note(operation, answer, [404, 412]);
    if (answer.status === 404 || answer.status === 412) this.#tasks.delete(task.id);
    if (answer.status === 200 || answer.status === 204) ledger.touched.add(task.id);
    return answer;
  }

  async update(): Promise<void> {
    const task = this.#someTask((t) => t.mine);
    if (!task) return;
    const answer = await this.#write('update', task, 'PATCH', {
      title: `${pick(WORDS)} ${pick(WORDS)}`,
      description: `revised ${new Date().toISOString()}`,
    });
    if (answer.status === 200) this.#learn(answer.body);
  }

  async setStatus(status: 'completed' | 'pending'): Promise<void> {
    const from = status === 'completed' ? 'pending' : 'completed';
    const task = this.#someTask((t) => t.status === from);
    if (!task) return;
    const operation = status === 'completed' ? 'complete' : 'reopen';
    const answer = await this.#write(operation, task, 'PATCH', { status });
    if (answer.status !== 200) return;
    // If-Match held, so the task went from this version, known to be pending, to the next.
    if (status === 'completed' && answer.body.version === task.version + 1) completion(task.id);
    this.#learn(answer.body);
  }

  async remove(): Promise<void> {
    const task = this.#someTask((t) => t.mine);
    if (!task) return;
    const answer = await this.#write('delete', task, 'DELETE');
    if (answer.status !== 204) return;
    ledger.deleted.add(task.id);
    this.#tasks.delete(task.id);
  }

  async searchUsers(): Promise<void> {
    note('users', await this.#call('users', 'GET', '/api/users/?search=soak&limit=20'));
  }

  async me(): Promise<void> {
    note('me', await this.#call('me', 'GET', '/api/me/'));
  }

  /** Every task this user created that the service still lists; not counted as load. */
  async listedCreations(): Promise<Set<number>> {
    const ids = new Set<number>();
    let path: string | null = '/api/tasks/?created_by=me&limit=200';
    while (path) {
      const answer = await this.#call(null, 'GET', path);
      if (answer.status !== 200)
        throw new Error(`listing ${this.username}'s tasks answered ${answer.status}`);
      for (const task of answer.body) ids.add(task.id);
      path = nextPath(answer);
    }
    return ids;
  }
}

type Action = (user: VirtualUser, everyone: VirtualUser[]) => Promise<void>;

/**
 * One session's mix, per thousand actions: mostly reading, regular writing, now and then account
 * work. Clients log in rarely (a refresh token lasts days), and each log-in costs a bcrypt hash.
 */
const MIX: [number, Action][] = [
  [300, (u) => u.list()],
  [150, (u) => u.read()],
  [150, (u, all) => u.create(all.filter((other) => other !== u && other.id > 0))],
  [100, (u) => u.update()],
  [100, (u) => u.setStatus('completed')],
  [50, (u) => u.setStatus('pending')],
  [50, (u) => u.remove()],
  [40, (u) => u.searchUsers()],
  [38, (u) => u.me()],
  [20, (u) => u.refresh()],
  [2, (u) => u.logIn()],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [weight]) => sum + weight, 0);

export function nextAction(): Action {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [weight, action] of MIX) {
    roll -= weight;
    if (roll < 0) return action;
  }
  return (MIX[0] as [number, Action])[1];
}
