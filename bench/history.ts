// `npm run bench:history [-- --quick]`: what a task's history costs a PATCH. The same PATCH (a new
// title for one of a member's tasks) runs against the service with its history entry and against
// the same service whose UPDATE carries none (bench/history-app.ts), alternating, three rounds
// each, in one run; then it checks that the entries written match the versions the tasks gained.
import { parseArgs } from 'node:util';
import { openOrm } from '../src/adapters/persistence/mikro-orm/orm.ts';
import { measure, productionCommand, runMain, setUp } from './harness.ts';
import { type Row, table } from './report.ts';
import { CONNECTIONS, type Step } from './steps.ts';

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
        [...flags, 'bench/history-app.ts'],
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

  console.log(`\n${table(rows)}`);
  const mean = (variant: string) => {
    const measured = rows.filter((row) => row.key === `rename-${variant}`);
    return measured.reduce((sum, row) => sum + row.cpuMicrosPerRequest, 0) / measured.length;
  };
  const extra = mean('history') / mean('none') - 1;
  console.log(
    `\nservice CPU per PATCH: ${Math.round(mean('none'))} µs without history, ` +
      `${Math.round(mean('history'))} µs with it: ${(extra * 100).toFixed(1)}% more ` +
      `(target ≤ 15%: ${extra <= 0.15 ? 'met' : 'MISSED'})`,
  );
  const { history, none } = written;
  console.log(
    `with history: ${history.entries} entries for ${history.versions} new versions ` +
      `(${history.entries === history.versions ? 'one each' : 'MISMATCH'}); ` +
      `without: ${none.entries} entries for ${none.versions} new versions`,
  );
});
