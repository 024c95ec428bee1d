import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { loadTasks, MEMBER as MEMBER_ID, TASKS } from '../scripts/million-tasks.ts';
import { cursorCodec } from '../src/adapters/http/cursor.ts';
import { joseTokenService } from '../src/adapters/jose-token-service.ts';
import { hmacDigest } from '../src/adapters/node-crypto.ts';
import type { EntityRow } from '../src/adapters/persistence/mikro-orm/columns.ts';
import { migrate } from '../src/adapters/persistence/mikro-orm/migrate.ts';
import { type Orm, openOrm } from '../src/adapters/persistence/mikro-orm/orm.ts';
import { taskTable } from '../src/adapters/persistence/mikro-orm/task-table.ts';
import { systemClock } from '../src/adapters/system-clock.ts';
import { taskKey } from '../src/application/tasks/list-tasks.ts';
import { Task } from '../src/domain/task.ts';

// Users of the seeded table: 1 is staff, the others are not; the member is in 20 projects.
const STAFF = { id: 1, isStaff: true };
export const MEMBER = { id: MEMBER_ID, isStaff: false };
const LOGIN = { username: 'user3', password: 'benchmark password' };

export interface Fixtures {
  /** Access tokens, signed with the service's secret as the service signs them. */
  staffToken: string;
  memberToken: string;
  /** A personal API token of the member's (`read` scope), stored as the service stores one. */
  memberApiToken: string;
  /** Ids of tasks the member created: each GET reads one the member may see. */
  memberTaskIds: number[];
  /** Every pending task, for the completing PATCHes: staff may complete any of them. */
  pendingIds: number[];
  /** The cursor a client holds after paging 90% of the way through the pending tasks by id. */
  deepCursor: string;
  login: typeof LOGIN;
}

// MikroORM spreads an array parameter into a list; PostgreSQL's array literal keeps it one value.
const intArray = (ids: number[]) => `{${ids.join(',')}}`;

const count = async (orm: Orm, sql: string, params: unknown[]) =>
  Number((await orm.em.fork().execute<{ n: string }[]>(sql, params))[0]?.n);

/**
 * Migrates and fills the scratch database (1,000 users, 1,000,000 tasks, one user who can log in
 * with a real bcrypt hash) and reads what the load needs; `verify` then checks the writes.
 */
export async function prepareDatabase(
  url: string,
  options: { secret: string; bcryptCost: number },
) {
  const orm = await openOrm(url, { poolSize: 2 });
  const em = () => orm.em.fork();
  await migrate(orm);
  await loadTasks(em());
  await em().execute('update users set password_hash = ? where username = ?', [
    await bcrypt.hash(LOGIN.password, options.bcryptCost),
    LOGIN.username,
  ]);

  const ids = async (sql: string, params: unknown[] = []) =>
    (await em().execute<{ id: number }[]>(sql, params)).map((row) => row.id);
  const pendingIds = await ids(`select id from tasks where status = 'pending' order by id`);
  const [deepRow] = await em().execute<EntityRow[]>(
    `select ${taskTable.entity()} from tasks where id = ?`,
    [pendingIds[Math.floor(pendingIds.length * 0.9)]],
  );
  if (!deepRow) throw new Error('the seeded table has no pending tasks');
  const deepTask = new Task(taskTable.fromRow(deepRow));
  const tokens = joseTokenService({
    secret: options.secret,
    ttlSeconds: 6 * 3600,
    clock: systemClock,
  });

  const memberApiToken = `tsk_${randomBytes(32).toString('base64url')}`;
  await em().execute(
    `insert into api_tokens (user_id, name, scopes, digest, created_at)
     values (?, 'bench', '{read}', ?, now())`,
    [MEMBER.id, hmacDigest(options.secret).digest(memberApiToken)],
  );

  const fixtures: Fixtures = {
    staffToken: (await tokens.issue(STAFF)).token,
    memberToken: (await tokens.issue(MEMBER)).token,
    memberApiToken,
    memberTaskIds: await ids('select id from tasks where created_by = ? order by id', [MEMBER.id]),
    pendingIds,
    deepCursor: cursorCodec(options.secret).encode('id', taskKey(deepTask, 'id')),
    login: LOGIN,
  };

  return {
    fixtures,
    /** Whether every answered POST's task and every answered PATCH's completion committed. */
    async verify(answered: { created: number[]; completed: number[] }) {
      const { created, completed } = answered;
      return {
        created: created.length,
        createdFound: await count(orm, 'select count(*) n from tasks where id = any(?::int[])', [
          intArray(created),
        ]),
        tasksAdded: (await count(orm, 'select count(*) n from tasks', [])) - TASKS,
        completed: completed.length,
        completedFound: await count(
          orm,
          `select count(*) n from tasks where id = any(?::int[]) and status = 'completed'`,
          [intArray(completed)],
        ),
        // The seeded completions have no events: each one here is a PATCH's.
        events: await count(
          orm,
          'select count(*) n from task_outbox where task_id = any(?::int[])',
          [intArray(completed)],
        ),
        eventsDelivered: await count(
          orm,
          `select count(*) n from task_outbox where task_id = any(?::int[]) and state = 'delivered'`,
          [intArray(completed)],
        ),
      };
    },
    /** Resolves once no outbox event is pending: every completion so far has been delivered. */
    async outboxDelivered(timeoutMs = 120_000) {
      const started = performance.now();
      // Whether one is left, not how many: a count of a backlog of thousands every 50 ms was
      // PostgreSQL's work competing with the dispatcher it waits for.
      while (
        await count(
          orm,
          `select count(*) n from (select from task_outbox where state = 'pending' limit 1) one`,
          [],
        )
      ) {
        if (performance.now() - started > timeoutMs)
          throw new Error(`outbox events still pending ${timeoutMs / 1000} s after the load`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => orm.close(),
  };
}

export type WriteCheck = Awaited<ReturnType<Awaited<ReturnType<typeof prepareDatabase>>['verify']>>;
