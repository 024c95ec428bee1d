import { type Logger, pino } from 'pino';
import { bcryptPasswordHasher } from '../src/adapters/bcrypt-password-hasher.ts';
import { createHttpApp } from '../src/adapters/http/app.ts';
import type { HttpMetrics } from '../src/adapters/http/observability.ts';
import { joseTokenService } from '../src/adapters/jose-token-service.ts';
import { hmacDigest, nodeSecrets, randomIds } from '../src/adapters/node-crypto.ts';
import { inMemoryApiTokens } from '../src/adapters/persistence/in-memory/api-tokens.ts';
import { inMemoryComments } from '../src/adapters/persistence/in-memory/comments.ts';
import { InMemoryDatabase } from '../src/adapters/persistence/in-memory/database.ts';
import { inMemoryHistory } from '../src/adapters/persistence/in-memory/history.ts';
import { inMemoryOutboxQueue } from '../src/adapters/persistence/in-memory/outbox-queue.ts';
import {
  inMemoryMemberships,
  inMemoryProjects,
} from '../src/adapters/persistence/in-memory/projects.ts';
import { inMemoryStaffSessions } from '../src/adapters/persistence/in-memory/staff-sessions.ts';
import { inMemoryTasks } from '../src/adapters/persistence/in-memory/tasks.ts';
import { inMemoryUnitOfWork } from '../src/adapters/persistence/in-memory/unit-of-work.ts';
import { inMemoryUsers } from '../src/adapters/persistence/in-memory/users.ts';
import { memoryRateLimiter } from '../src/adapters/throttling/rate-limiters.ts';
import { register } from '../src/application/accounts/register.ts';
import type { Deps } from '../src/application/deps.ts';
import type { Clock } from '../src/application/ports/clock.ts';
import type { RateLimiter } from '../src/application/ports/rate-limiter.ts';
import type { Rate } from '../src/config.ts';
import { completionsOf, remindersOf } from './setup/outbox-views.ts';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long';
export const ACCESS_TTL_SECONDS = 900;
export const PASSWORD = 'correct horse battery';
/** The reminder lead the harness's service runs with: the default, an hour. */
export const REMINDER_LEAD_MS = 3_600_000;

/** Time that moves only when a test says so. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = Date.parse('2026-01-01T09:00:00.000Z')) {
    this.#now = start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** Response bodies in tests are checked by assertions, not trusted, so they are loosely typed. */
// biome-ignore lint/suspicious/noExplicitAny: the point of this alias
export type Json = any;
export type TestResponse = Omit<Response, 'json'> & { json(): Promise<Json> };

export interface RequestOptions {
  token?: string;
  json?: unknown;
  /** A body sent as it is (a form), when there is no `json`. */
  body?: string;
  headers?: Record<string, string>;
  /** The socket address the request comes from. */
  ip?: string;
  /** Aborts when the client goes away. */
  signal?: AbortSignal;
}

type Policy = 'user' | 'anonymous' | 'loginFailures';

export interface HarnessOptions {
  /** Throttling rates; unlisted policies are generous enough never to interfere. */
  rates?: Partial<Record<Policy, Rate>>;
  /** Builds each policy's limiter; in-memory by default. */
  limiter?: (name: string, rate: Rate) => RateLimiter;
  trustProxyHops?: number;
  corsOrigins?: string[];
  publicUrl?: string;
  allowedHosts?: string[];
  secureCookies?: boolean;
  /** Where request logs go; silent by default. */
  logger?: Logger;
  metrics?: HttpMetrics;
  readiness?: Record<string, () => Promise<unknown>>;
}

const GENEROUS: Rate = { points: 100_000, durationSeconds: 60 };

export interface SignedUp {
  id: number;
  username: string;
  token: string;
  refresh: string;
}

/** The path and query of a response's `Link: <…>; rel="next"`, or null on the last page. */
export function nextPath(response: Pick<Response, 'headers'>): string | null {
  const target = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') ?? '')?.[1];
  if (!target) return null;
  const url = new URL(target);
  return url.pathname + url.search;
}

let names = 0;
export const uniqueName = (prefix = 'user') => `${prefix}${++names}`;

/** The in-memory adapters, and the harness's helpers that look inside them. */
function inMemoryStore() {
  const db = new InMemoryDatabase();
  /** Completion events with their delivery records, oldest first. */
  async function outbox() {
    return [...db.outbox.values()].map((entry) => ({ ...entry }));
  }
  return {
    uow: inMemoryUnitOfWork(db),
    users: inMemoryUsers(db),
    tasks: inMemoryTasks(db),
    projects: inMemoryProjects(db),
    memberships: inMemoryMemberships(db),
    comments: inMemoryComments(db),
    history: inMemoryHistory(db),
    apiTokens: inMemoryApiTokens(db),
    staffSessions: inMemoryStaffSessions(db),
    queue: inMemoryOutboxQueue(db),
    outbox,
    /** Completion events recorded so far, oldest first. */
    completions: async () => completionsOf(await outbox()),
    reminders: async () => remindersOf(await outbox()),
    async deactivate(userId: number) {
      const user = db.users.get(userId);
      if (user) user.isActive = false;
    },
    /** As an operator would by hand: the user's refresh tokens, then the user. */
    async deleteUser(userId: number) {
      for (const [digest, token] of db.refreshTokens)
        if (token.userId === userId) db.refreshTokens.delete(digest);
      db.users.delete(userId);
    },
  };
}

/**
 * The whole app on in-memory adapters, with a controllable clock and cheap bcrypt. With
 * TEST_PERSISTENCE=postgres (the `postgres` vitest project) it runs on the MikroORM adapters
 * over the test file's own PostgreSQL database instead, emptied for each harness.
 */
export async function harness(options: HarnessOptions = {}) {
  const clock = new ManualClock();
  const limiter = (name: string, policy: Policy) =>
    (options.limiter ?? memoryRateLimiter)(name, options.rates?.[policy] ?? GENEROUS);
  const store =
    process.env.TEST_PERSISTENCE === 'postgres'
      ? await (await import('./setup/postgres-database.ts')).postgresHarnessStore()
      : inMemoryStore();
  const deps: Deps = {
    uow: store.uow,
    users: store.users,
    tasks: store.tasks,
    projects: store.projects,
    memberships: store.memberships,
    comments: store.comments,
    history: store.history,
    apiTokens: store.apiTokens,
    staffSessions: store.staffSessions,
    queue: store.queue,
    apiTokenDigest: hmacDigest(TEST_SECRET),
    hasher: bcryptPasswordHasher(4),
    tokens: joseTokenService({ secret: TEST_SECRET, ttlSeconds: ACCESS_TTL_SECONDS, clock }),
    secrets: nodeSecrets,
    ids: randomIds,
    clock,
    loginFailures: limiter('login', 'loginFailures'),
    settings: {
      refreshTokenTtlSeconds: 14 * 24 * 3600,
      reminderLeadMs: REMINDER_LEAD_MS,
      staffSessionTtlSeconds: 8 * 3600,
    },
  };
  const app = createHttpApp({
    deps,
    logger: options.logger ?? pino({ level: 'silent' }),
    cursorSecret: TEST_SECRET,
    throttles: { user: limiter('user', 'user'), anonymous: limiter('anon', 'anonymous') },
    trustProxyHops: options.trustProxyHops,
    corsOrigins: options.corsOrigins,
    publicUrl: options.publicUrl,
    allowedHosts: options.allowedHosts,
    secureCookies: options.secureCookies,
    metrics: options.metrics,
    readiness: options.readiness,
  });

  async function request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.Authorization ??= `Bearer ${options.token}`;
    if (options.json !== undefined) headers['Content-Type'] ??= 'application/json';
    const body = options.json === undefined ? options.body : JSON.stringify(options.json);
    // The third argument is what @hono/node-server passes as the environment: the socket.
    const env = { incoming: { socket: { remoteAddress: options.ip ?? '127.0.0.1' } } };
    return (await app.request(
      `http://localhost${path}`,
      { method, headers, body, signal: options.signal },
      env,
    )) as TestResponse;
  }

  async function logIn(username: string, password = PASSWORD) {
    const response = await request('POST', '/api/token/', { json: { username, password } });
    if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
    return (await response.json()) as { access: string; refresh: string };
  }

  /** Registers through the use case (staff cannot sign up over HTTP) and logs in over HTTP. */
  async function signUp(options: { staff?: boolean; username?: string } = {}): Promise<SignedUp> {
    const username = options.username ?? uniqueName();
    const user = await register(deps, { username, password: PASSWORD, isStaff: options.staff });
    const { access, refresh } = await logIn(username);
    return { id: user.id, username, token: access, refresh };
  }

  return {
    app,
    clock,
    deps,
    request,
    logIn,
    signUp,
    completions: store.completions,
    reminders: store.reminders,
    deactivate: store.deactivate,
    deleteUser: store.deleteUser,
    /** The dispatcher's side of the outbox the use cases write. */
    queue: store.queue,
    outbox: store.outbox,
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;
