// `npm run bench:history [-- --quick]`: what a task's history costs a PATCH. The same PATCH (a new
// title for one of a member's tasks) runs against the service with its history entry and against
// the same service whose UPDATE carries none (bench/history-app.ts), alternating, three rounds
// each, in one run; then it checks that the entries written match the versions the tasks gained.
// Last, the update use case alone runs one request at a time in this process, both ways in
// alternating blocks, timed by this process's own CPU: the same comparison without the load
// generator, PostgreSQL and Redis taking turns with it for the cores.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openOrm } from '../src/adapters/persistence/mikro-orm/orm.ts';
import { openMikroOrmPersistence } from '../src/adapters/persistence/mikro-orm/persistence.ts';
import { systemClock } from '../src/adapters/system-clock.ts';
import type { Deps } from '../src/application/deps.ts';
import { updateTask } from '../src/application/tasks/update-task.ts';
import { MEMBER } from './fixtures.ts';
import { measure, productionCommand, runMain, setUp } from './harness.ts';
import { type Row, table } from './report.ts';
import { CONNECTIONS, type Step } from './steps.ts';
import { withoutHistory } from './without-history.ts';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const seconds = args.quick ? { warmup: 2, measure: 5 } : { warmup: 5, measure: 20 };
const ROUNDS = 3;

runMain(async () => {
  const { db, serviceEnv, node } = await setUp();
  const { flags } = await productionCommand();
  const orm = await openOrm(serviceEnv.DATABASE_URL, { poolSize: 1 });
  const count = async (sql: string) =>
    Number((await orm.em.fork().execute<{ n: string }[]>(sql))[0]?.n);
  const { memberToken, memberTaskIds } = db.fixtures;
  // Every PATCH that changed a task added one to its version, warm-up and requests still in
  // flight when a step ended included, which no client-side count sees.
  const counts = async () => ({
    entries: await count(`select count(*) n from task_history where action = 'updated'`),
    versions: await count(
      `select sum(version) n from tasks where id = any('{${memberTaskIds.join(',')}}'::int[])`,
    ),
  });
  let renamed = 0;
  type Variant = 'history' | 'none';
  const rename = (variant: Variant, label: string): Step => ({
    key: `rename-${variant}`,
    label,
    connections: CONNECTIONS,
    requests: [
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${memberToken}` },
        // A new title each time, so that every PATCH changes its task.
        setupRequest: (request) => {
          const n = renamed++;
          return {
            ...request,
            path: `/api/tasks/${memberTaskIds[n % memberTaskIds.length]}/`,
            body: JSON.stringify({ title: `Renamed ${n}` }),
          };
        },
      },
    ],
  });

  const rows: Row[] = [];
  const written = { history: { entries: 0, versions: 0 }, none: { entries: 0, versions: 0 } };
  for (let round = 1; round <= ROUNDS; round++)
    for (const [variant, label, env] of [
      ['none', 'PATCH /api/tasks/{id}/ title, no history', { HISTORY: 'off' }],
      ['history', 'PATCH /api/tasks/{id}/ title, with history', {}],
    ] as const) {
      const app = await node(
        `${variant}-${round}`,
        // The production flags over the source, whose .tsx load as under `npm start`.
        [...flags, '--import', './scripts/jsx-loader.ts', 'bench/history-app.ts'],
        { ...serviceEnv, ...env },
        '/readyz',
      );
      const before = await counts();
      rows.push(await measure(app, rename(variant, `${label} (round ${round})`), seconds));
      await app.stop();
      const after = await counts();
      written[variant].entries += after.entries - before.entries;
      written[variant].versions += after.versions - before.versions;
    }
  await orm.close();

  const inProcess = await useCaseCpu(
    serviceEnv.DATABASE_URL,
    memberTaskIds,
    args.quick ? 200 : 1000,
  );

  console.log(`\n${table(rows)}`);
  const percent = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)}%`;
  const cpu = (variant: Variant) =>
    rows.filter((row) => row.key === `rename-${variant}`).map((row) => row.cpuMicrosPerRequest);
  const ratios = cpu('history').map((micros, round) => micros / (cpu('none')[round] as number));
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const overall = sum(cpu('history')) / sum(cpu('none'));
  console.log(
    `\nservice CPU per PATCH, with history against without: ${ratios.map(percent).join(', ')} ` +
      `by round; ${percent(overall)} over all rounds (target ≤ +15%: ${overall <= 1.15 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `the update use case in process, one at a time: ${inProcess.none.toFixed(0)} µs of CPU ` +
      `without history, ${inProcess.history.toFixed(0)} µs with it (${percent(inProcess.history / inProcess.none)})`,
  );
  const { history, none } = written;
  console.log(
    `with history: ${history.entries} entries for ${history.versions} new versions ` +
      `(${history.entries === history.versions ? 'one each' : 'MISMATCH'}); ` +
      `without: ${none.entries} entries for ${none.versions} new versions`,
  );
});

/** CPU µs per update of a member's task title, through the use case, with and without history. */
async function useCaseCpu(url: string, taskIds: number[], perBlock: number) {
  const persistence = await openMikroOrmPersistence(url, { logger: pino({ level: 'silent' }) });
  const variants: Record<'history' | 'none', Pick<Deps, 'uow' | 'tasks'>> = {
    history: persistence,
    none: withoutHistory(persistence),
  };
  // A title change reads none of these but the reminder lead (REMINDER_LEAD's default).
  const settings = {
    reminderLeadMs: 3_600_000,
    refreshTokenTtlSeconds: 0,
    staffSessionTtlSeconds: 0,
  };
  const micros = { history: 0, none: 0 };
  let n = 0;
  const block = async ({ uow, tasks }: Pick<Deps, 'uow' | 'tasks'>) => {
    const started = process.cpuUsage();
    for (let i = 0; i < perBlock; i++, n++)
      await updateTask(
        {
          uow,
          tasks,
          users: persistence.users,
          projects: persistence.projects,
          memberships: persistence.memberships,
          clock: systemClock,
          ids: { next: () => '' },
          settings,
        },
        {
          actor: MEMBER,
          id: taskIds[n % taskIds.length] as number,
          changes: { title: `In process ${n}` },
        },
      );
    const spent = process.cpuUsage(started);
    return (spent.user + spent.system) / perBlock;
  };
  await block(variants.none);
  await block(variants.history);
  const blocks = 4;
  for (let round = 0; round < blocks; round++)
    for (const variant of ['none', 'history'] as const)
      micros[variant] += (await block(variants[variant])) / blocks;
  await persistence.close();
  return micros;
}
