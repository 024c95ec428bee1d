// `npx node scripts/explain-keyset.ts`: shows that a keyset page costs the same at any depth.
// Loads 1,000,000 tasks into a scratch database (a throwaway embedded PostgreSQL, or a database
// created for the run on DATABASE_URL's server), then prints EXPLAIN (ANALYZE, BUFFERS) of the
// first page and of a page 90% of the way down, for the list query the API runs: as staff (who
// see every task) by each kind of key, as a user in no project (who sees only their own) by id,
// due date and priority, and as a member of 20 of the 200 projects (50,000 tasks visible) by
// every ordering. The load average is printed beside the figures: the machine may be shared.
import { loadavg } from 'node:os';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityRow } from '../src/adapters/persistence/mikro-orm/columns.ts';
import { openMikroOrmPersistence } from '../src/adapters/persistence/mikro-orm/persistence.ts';
import { taskListSql } from '../src/adapters/persistence/mikro-orm/task-list-sql.ts';
import { taskTable } from '../src/adapters/persistence/mikro-orm/task-table.ts';
import {
  TASK_ORDER_FIELDS,
  type TaskOrdering,
  type TaskQuery,
} from '../src/application/ports/tasks.ts';
import { taskKey } from '../src/application/tasks/list-tasks.ts';
import { Task } from '../src/domain/task.ts';
import { loadTasks, MEMBER, scratchDatabase, TASKS, USERS } from './million-tasks.ts';

const PAGE = 51; // the API's default page of 50, and the one row that says another page exists
const RUNS = 5;

const quiet = { warn() {}, info() {} };

async function seconds<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function explain(em: EntityManager, query: TaskQuery) {
  const { sql, params } = taskListSql(query);
  const times: number[] = [];
  let plan: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const rows = await em.execute<{ 'QUERY PLAN': string }[]>(
      `explain (analyze, buffers) ${sql}`,
      params,
    );
    plan = rows.map((row) => row['QUERY PLAN']);
    const time = /Execution Time: ([\d.]+) ms/.exec(plan.join('\n'))?.[1];
    times.push(Number(time));
  }
  // The top node's buffers are the whole statement's, the same on every run once cached.
  const buffers = /Buffers: (shared [^\n]*)/.exec(plan.join('\n'))?.[1] ?? '';
  return { sql: em.getPlatform().formatQuery(sql, params), plan, times, buffers };
}

async function main(): Promise<void> {
  const database = await scratchDatabase({ given: process.env.DATABASE_URL, label: 'explain' });
  const persistence = await openMikroOrmPersistence(database.url, { logger: quiet });
  try {
    await persistence.migrate();
    const em = persistence.orm.em.fork();
    await seconds(`load ${TASKS.toLocaleString('en')} tasks, then VACUUM ANALYZE`, async () => {
      await loadTasks(em);
    });

    const staff = { id: 1, isStaff: true };
    // The last user owns no project and is a member of none.
    const loner = { id: USERS, isStaff: false };
    const member = { id: MEMBER, isStaff: false };
    const pending = 'pending' as const;
    const cases: {
      viewer: TaskQuery['viewer'];
      ordering: TaskOrdering;
      status?: 'pending';
      filter?: Partial<TaskQuery>;
    }[] = [
      { viewer: staff, ordering: { field: 'id', descending: false }, status: pending },
      { viewer: staff, ordering: { field: 'created_at', descending: true }, status: pending },
      { viewer: staff, ordering: { field: 'title', descending: false }, status: pending },
      { viewer: loner, ordering: { field: 'id', descending: false }, status: pending },
      ...(['due_at', 'priority'] as const).flatMap((field) =>
        [false, true].map((descending) => ({
          viewer: loner,
          ordering: { field, descending },
          status: pending,
        })),
      ),
      { viewer: member, ordering: { field: 'id', descending: false }, status: pending },
      ...TASK_ORDER_FIELDS.flatMap((field) =>
        [false, true].map((descending) => ({ viewer: member, ordering: { field, descending } })),
      ),
      { viewer: staff, ordering: { field: 'due_at', descending: false }, status: pending },
      { viewer: staff, ordering: { field: 'priority', descending: true }, status: pending },
      // A label one task in ten has, and one that one task in a thousand has.
      ...['team3', 'tag7'].map((label) => ({
        viewer: staff,
        ordering: { field: 'id', descending: false } as const,
        status: pending,
        filter: { labelKeys: [label] },
      })),
      {
        viewer: staff,
        ordering: { field: 'due_at', descending: false },
        status: pending,
        filter: { labelKeys: ['tag7'] },
      },
    ];
    const load = () =>
      loadavg()
        .map((each) => each.toFixed(2))
        .join(', ');
    console.log(`load average before measuring: ${load()}`);
    const summary: string[] = [];
    for (const { viewer, ordering, status, filter } of cases) {
      const base: TaskQuery = { viewer, status, ...filter, ordering, limit: PAGE };
      const everything = taskListSql({ ...base, limit: TASKS });
      const [{ count } = { count: 0 }] = await em.execute<{ count: number }[]>(
        `select count(*)::integer as count from (${everything.sql}) listed`,
        everything.params,
      );
      // The cursor a client holds after paging 90% of the way, found the slow way, once.
      const depth = Math.floor(count * 0.9);
      const upToDepth = taskListSql({ ...base, limit: depth });
      const row = (await em.execute<EntityRow[]>(upToDepth.sql, upToDepth.params)).at(-1);
      if (!row) throw new Error('no row that deep');
      const deep = taskKey(new Task(taskTable.fromRow(row)), ordering.field);
      const who = viewer.isStaff
        ? 'staff'
        : viewer.id === MEMBER
          ? `user ${viewer.id} (20 projects)`
          : `user ${viewer.id} (no project)`;
      const key = `${ordering.descending ? '-' : ''}${ordering.field}`;
      for (const [where, after] of [
        ['first page', undefined],
        [`page after row ${depth.toLocaleString('en')} of ${count.toLocaleString('en')}`, deep],
      ] as const) {
        const labels = filter?.labelKeys?.map((each) => `label=${each}, `).join('') ?? '';
        const shown = `${status ? `status=${status}, ` : ''}${labels}`;
        const label = `as ${who}, ${shown}ordering=${key}, ${where}`;
        const result = await explain(em, { ...base, after });
        const sorted = [...result.times].sort((a, b) => a - b);
        console.log(`\n### ${label}\n\n${result.sql}\n\n${result.plan.join('\n')}`);
        summary.push(
          `| ${label} | ${sorted[0]?.toFixed(3)} ms | ${sorted[Math.floor(RUNS / 2)]?.toFixed(3)} ms | ${result.buffers} |`,
        );
      }
    }
    console.log(`\nload average after measuring: ${load()}`);
    console.log(
      `\n| query | fastest of ${RUNS} | median of ${RUNS} | buffers |\n|---|---|---|---|`,
    );
    console.log(summary.join('\n'));
  } finally {
    await persistence.close();
    await database.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
