import { expect } from 'vitest';
import { type LocalLambdaOptions, startLocalLambda } from '../../lambda/local-endpoint.ts';
import type { TaskEventPayload } from '../../src/adapters/notifications/payload.ts';
import { PASSWORD } from '../harness.ts';
import { adminQuery } from '../setup/postgres-admin.ts';

export const JWT_SECRET = 'fault-injection-secret-of-at-least-32-bytes';

/** The service's settings for fault injection: notifications to `lambdaUrl`, quick retries. */
export function serviceEnv(databaseUrl: string, lambdaUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    BCRYPT_COST: '4',
    THROTTLE_USER_RATE: '100000/min',
    THROTTLE_ANON_RATE: '100000/min',
    LAMBDA_FUNCTION_NAME: 'task-completed',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
    // The documented minimum lease, so that a send cut off by a fault is retried within a test.
    OUTBOX_LEASE: '10s',
    OUTBOX_RETRY_BASE: '1s',
    OUTBOX_RETRY_MAX: '2s',
    OUTBOX_POLL_INTERVAL: '1s',
    OUTBOX_MAX_ATTEMPTS: '100',
  };
}

/** A local Lambda endpoint whose function records every event it is given, duplicates included. */
export async function recordingLambda(options: Pick<LocalLambdaOptions, 'fault'> = {}) {
  const received: TaskEventPayload[] = [];
  const lambda = await startLocalLambda({
    port: 0,
    ...options,
    handler: (event) => {
      received.push(event as TaskEventPayload);
      return { statusCode: 200 };
    },
  });
  return {
    url: lambda.url,
    received,
    close: () => lambda.close(),
    /** Events seen, by id: what a receiver that de-duplicates on `event_id` keeps. */
    distinct: () => new Map(received.map((event) => [event.event_id, event])),
    /** How many deliveries repeated an event already received (at-least-once at work). */
    duplicates: () => received.length - new Set(received.map((event) => event.event_id)).size,
  };
}

export interface Answer {
  /** 0 when no answer came: the connection failed or the process died. */
  status: number;
  body: unknown;
  contentType: string | null;
}

export async function call(
  url: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(options.json !== undefined && { 'Content-Type': 'application/json' }),
        ...(options.token && { Authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, body, contentType: response.headers.get('Content-Type') };
  } catch {
    return { status: 0, body: null, contentType: null };
  }
}

/** Registers `count` users and logs each in; returns their access tokens. */
export async function signUpUsers(
  url: string,
  count: number,
  prefix = 'loader',
): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const username = `${prefix}${i}`;
    await call(url, 'POST', '/register/', { json: { username, password: PASSWORD } });
    const login = await call(url, 'POST', '/api/token/', {
      json: { username, password: PASSWORD },
    });
    if (login.status !== 200) throw new Error(`could not log ${username} in: ${login.status}`);
    tokens.push((login.body as { access: string }).access);
  }
  return tokens;
}

/** What the load learned: the writes the service acknowledged, and every answer by phase. */
export interface Ledger {
  /** Tasks whose creation was answered 201, with the status the answer gave. */
  created: Map<number, 'pending' | 'completed'>;
  /** Tasks whose completion was acknowledged, by a 201 or a 200. */
  completed: Set<number>;
  /**
   * Pending tasks created with an assignee and a due date within the reminder lead: each is
   * owed one reminder, right away, unless it was completed first.
   */
  reminded: Set<number>;
  /** Answers by phase and status, e.g. `outage 503` → 12. */
  statuses: Map<string, number>;
  /** The longest wait for an answer, by the phase the answer came in. */
  slowestMs: Map<string, number>;
  /** Every answer that was not a success: the phases its request began and ended in, and what it was. */
  refusals: (Answer & { phases: [string, string]; request: string })[];
}

export interface Load {
  ledger: Ledger;
  /** Labels the answers from now on. */
  phase(name: string): void;
  /** Answers seen so far in a phase, for waiting until the service behaves a given way. */
  count(phase: string, status: number): number;
  stop(): Promise<void>;
}

/**
 * `concurrency` loops, each as one of `tokens`, writing until stopped: creating tasks (half of
 * them completed; the pending ones assigned to their creator and due in ten minutes, so within
 * the default reminder lead) and completing the pending ones it created, with If-Match, so that
 * each acknowledgement says exactly which completion happened; now and then reading one back.
 */
export function startLoad(
  url: string,
  tokens: string[],
  concurrency: number,
  /** A pause after each request, to keep a load of quick refusals from spinning. */
  pauseMs = 0,
): Load {
  const ledger: Ledger = {
    created: new Map(),
    completed: new Set(),
    reminded: new Set(),
    statuses: new Map(),
    slowestMs: new Map(),
    refusals: [],
  };
  let phase = 'before';
  let running = true;

  /** Counted in the phase the answer came in; a refusal keeps the phase its request began in too. */
  function record(request: string, answer: Answer, startedIn: string, started: number) {
    const key = `${phase} ${answer.status}`;
    ledger.statuses.set(key, (ledger.statuses.get(key) ?? 0) + 1);
    const ms = performance.now() - started;
    ledger.slowestMs.set(phase, Math.max(ms, ledger.slowestMs.get(phase) ?? 0));
    if (answer.status < 200 || answer.status >= 300)
      ledger.refusals.push({ ...answer, phases: [startedIn, phase], request });
  }

  async function worker(index: number) {
    const token = tokens[index % tokens.length] as string;
    const pending: number[] = [];
    /** Known from the first task this loop creates; then its pending tasks are its own. */
    let self: number | undefined;
    for (let n = 0; running; n++) {
      if (pauseMs > 0) await sleep(pauseMs);
      const at = phase;
      const started = performance.now();
      const id = pending.length > 0 && n % 3 === 2 ? pending.shift() : undefined;
      if (id !== undefined) {
        const answer = await call(url, 'PATCH', `/api/tasks/${id}/`, {
          token,
          json: { status: 'completed' },
          headers: { 'If-Match': '"1"' },
        });
        record('complete', answer, at, started);
        if (answer.status === 200) ledger.completed.add(id);
        continue;
      }
      const status = n % 2 === 0 ? 'completed' : 'pending';
      const reminded = status === 'pending' && self !== undefined;
      const answer = await call(url, 'POST', '/api/tasks/', {
        token,
        json: {
          title: `load ${index}.${n}`,
          status,
          ...(reminded && { assigned_to: self, due_at: new Date(Date.now() + 600_000) }),
        },
      });
      record('create', answer, at, started);
      if (answer.status !== 201) continue;
      const { id: created, created_by } = answer.body as { id: number; created_by: number };
      self = created_by;
      ledger.created.set(created, status);
      if (status === 'completed') ledger.completed.add(created);
      else pending.push(created);
      if (reminded) ledger.reminded.add(created);
      if (n % 5 === 0) {
        const reading = performance.now();
        record('read', await call(url, 'GET', `/api/tasks/${created}/`, { token }), at, reading);
      }
    }
  }

  const workers = Array.from({ length: concurrency }, (_, i) => worker(i));
  return {
    ledger,
    phase(name) {
      phase = name;
    },
    count: (at, status) => ledger.statuses.get(`${at} ${status}`) ?? 0,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** Tasks and completion events as the database holds them, read on a connection of its own. */
export async function databaseState(databaseUrl: string) {
  const tasks = await adminQuery<{ id: number; status: string }>(
    databaseUrl,
    'select id, status from tasks',
  );
  const events = await adminQuery<{
    event_id: string;
    type: 'task.completed' | 'task.due';
    task_id: number;
    state: string;
    attempts: number;
  }>(databaseUrl, 'select event_id, type, task_id, state, attempts from task_outbox');
  const of = (type: string, taskId: number) =>
    events.filter((event) => event.type === type && event.task_id === taskId);
  return {
    tasks: new Map(tasks.map((task) => [task.id, task.status])),
    events,
    /** The task's completion events. */
    eventsOf: (taskId: number) => of('task.completed', taskId),
    remindersOf: (taskId: number) => of('task.due', taskId),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `timeoutMs` passes; resolves with the last result. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

type DatabaseState = Awaited<ReturnType<typeof databaseState>>;

/**
 * The reminder rules as the database shows them after a load: no task has two reminders for
 * its due date, and each task the load reminded that is still pending has its one.
 */
export function expectReminders(stored: DatabaseState, ledger: Ledger): void {
  for (const id of stored.tasks.keys())
    expect(stored.remindersOf(id).length, `reminders of task ${id}`).toBeLessThanOrEqual(1);
  for (const id of ledger.reminded)
    if (stored.tasks.get(id) === 'pending')
      expect(stored.remindersOf(id), `reminders of task ${id}`).toHaveLength(1);
}

/**
 * What the outbox owes the receiver: every event but a reminder withdrawn while its delivery
 * was under way (cancelled), which may have arrived or not.
 */
export const owedEvents = (stored: DatabaseState) =>
  new Set(stored.events.filter((event) => event.state !== 'cancelled').map((e) => e.event_id));

/** Whether the receiver got every owed event, and nothing the outbox never held. */
export function receivedAll(stored: DatabaseState, received: Map<string, unknown>): boolean {
  const held = new Set(stored.events.map((event) => event.event_id));
  return (
    [...owedEvents(stored)].every((id) => received.has(id)) &&
    [...received.keys()].every((id) => held.has(id))
  );
}
