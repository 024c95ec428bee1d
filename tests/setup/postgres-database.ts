import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { entryFromRow } from '../../src/adapters/persistence/mikro-orm/outbox-queue.ts';
import {
  type MikroOrmPersistence,
  openMikroOrmPersistence,
} from '../../src/adapters/persistence/mikro-orm/persistence.ts';
import type { OutboxQueue } from '../../src/application/ports/outbox-queue.ts';
import type { MakePersistence } from '../contracts/persistence.ts';
import { completionsOf, remindersOf } from './outbox-views.ts';
import { adminQuery, databaseUrl, silentLogger } from './postgres-admin.ts';

export interface TestDatabase {
  url: string;
  persistence: MikroOrmPersistence;
  /** Empties every table and restarts the ids, as a new in-memory database would be. */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

/** A copy of the migrated template on the run's test server (see tests/setup/postgres.ts). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template } = inject('postgres');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name} template ${template}`);
  const url = databaseUrl(adminUrl, name);
  const persistence = await openMikroOrmPersistence(url, { logger: silentLogger });
  return {
    url,
    persistence,
    async reset() {
      // DELETE and restarting the identities take 2 ms where TRUNCATE takes 18. A write the
      // previous test left running (an API token's last_used_at, recorded off the request's
      // path) can deadlock with it; PostgreSQL then aborts one of the two, and this runs again.
      for (let attempt = 1; ; attempt++) {
        try {
          await emptyTables();
          return;
        } catch (error) {
          if (attempt === 3 || (error as { code?: string }).code !== '40P01') throw error;
        }
      }
    },
    async drop() {
      await persistence.close();
      await adminQuery(adminUrl, `drop database ${name} with (force)`);
    },
  };

  async function emptyTables() {
    await persistence.orm.em.fork().execute(`
        delete from task_outbox; delete from refresh_tokens; delete from api_tokens;
        delete from staff_sessions;
        delete from task_history; delete from task_comments; delete from tasks;
        delete from memberships; delete from projects; delete from users;
        alter table users alter column id restart; alter table tasks alter column id restart;
        alter table projects alter column id restart;
        alter table api_tokens alter column id restart; alter table task_outbox alter column seq restart;
        alter table task_comments alter column id restart;
        alter table task_history alter column id restart`);
  }
}

/** The ports the contract suites and the harness take from the PostgreSQL adapter. */
function repositoryPorts(persistence: MikroOrmPersistence) {
  const { uow, users, tasks, projects, memberships, comments, history, apiTokens, staffSessions } =
    persistence;
  return { uow, users, tasks, projects, memberships, comments, history, apiTokens, staffSessions };
}

/**
 * What the contract suites receive: one database for the test file, emptied for each test, and
 * a `close` that ends the test's subscriptions (the connection pool lives as long as the file).
 */
export function postgresPersistence(): MakePersistence {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());
  return async () => {
    if (!database) throw new Error('the test database is created in beforeAll');
    await database.reset();
    const { queue, endSubscriptions } = trackedQueue(database.persistence.queue);
    return {
      ...repositoryPorts(database.persistence),
      queue,
      close: async () => endSubscriptions(),
    };
  };
}

/** The queue, with a way to end every subscription made through it. */
function trackedQueue(queue: OutboxQueue) {
  const subscriptions: (() => void)[] = [];
  return {
    queue: {
      ...queue,
      onAdded(listener: () => void) {
        const unsubscribe = queue.onAdded(listener);
        subscriptions.push(unsubscribe);
        return unsubscribe;
      },
    },
    endSubscriptions() {
      for (const unsubscribe of subscriptions) unsubscribe();
    },
  };
}

let shared: Promise<TestDatabase> | undefined;

/** The database of a test file whose harness runs on PostgreSQL; created on first use. */
export function sharedTestDatabase(): Promise<TestDatabase> {
  shared ??= createTestDatabase();
  return shared;
}

export async function dropSharedTestDatabase(): Promise<void> {
  const database = await shared;
  shared = undefined;
  await database?.drop();
}

let endPreviousHarness = () => {};

/**
 * What tests/harness.ts builds on when TEST_PERSISTENCE=postgres: the file's database, emptied,
 * and the harness's helpers over it. A new harness ends the previous one's subscriptions, so a
 * dispatcher left running by one test cannot claim the next test's events.
 */
export async function postgresHarnessStore() {
  const database = await sharedTestDatabase();
  endPreviousHarness();
  await database.reset();
  const { orm } = database.persistence;
  const { queue, endSubscriptions } = trackedQueue(database.persistence.queue);
  endPreviousHarness = endSubscriptions;
  const em = () => orm.em.fork();

  /** Completion events with their delivery records, oldest first. */
  async function outbox() {
    const manager = em();
    const rows = await manager.execute('select * from task_outbox order by created_at, seq');
    return rows.map((row) =>
      entryFromRow(row as Parameters<typeof entryFromRow>[0], (text) =>
        manager.getPlatform().parseDate(text),
      ),
    );
  }

  return {
    ...repositoryPorts(database.persistence),
    queue,
    outbox,
    /** Completion events recorded so far, oldest first. */
    completions: async () => completionsOf(await outbox()),
    reminders: async () => remindersOf(await outbox()),
    async deactivate(userId: number) {
      await em().execute('update users set is_active = false where id = ?', [userId]);
    },
    async deleteUser(userId: number) {
      await em().execute('delete from refresh_tokens where user_id = ?', [userId]);
      await em().execute('delete from users where id = ?', [userId]);
    },
  };
}
