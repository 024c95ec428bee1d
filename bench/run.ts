// `npm run bench [-- --quick] [--seconds N] [--json FILE] [--workers N] [--only KEYS]
// [--cpu-prof DIR] [--against SCRIPT [--rounds N]]`
// Measures the production build against a bare Hono server in one run: see README, Performance.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { BCRYPT_COST, measure, productionCommand, runMain, setUp } from './harness.ts';
import { rssBytes } from './processes.ts';
import { summarizeProfiles } from './profile.ts';
import { describeWrites, type Row, table, targets } from './report.ts';
import { hello, type Step, serviceSteps } from './steps.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    workers: { type: 'string', default: '1' },
    /** Comma-separated keys of the service's steps (task, apitoken, page, projects, deep, create, complete, token). */
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
    /** Seconds per measured step (5 of warm-up), instead of 30 (or --quick's 3). */
    seconds: { type: 'string' },
    /**
     * Another build's `main.js` (of an earlier commit, say): each step runs on it and then on
     * this build, against the same database, so that the two rows of a step share the machine's
     * state of the same minute.
     */
    against: { type: 'string' },
    /**
     * With --against: the chosen steps this many times over, alternating the two builds, the
     * other build first in odd rounds and second in even ones.
     */
    rounds: { type: 'string', default: '1' },
  },
});
const workers = Number(args.workers);
if (!Number.isInteger(workers) || workers < 1)
  throw new Error('--workers takes a whole number ≥ 1');
const seconds = args.quick
  ? { warmup: 1, measure: 3 }
  : { warmup: 5, measure: args.seconds ? Number(args.seconds) : 30 };
if (!(seconds.measure > 0)) throw new Error('--seconds takes a number of seconds > 0');
// A login takes hundreds of ms of CPU by design: a few seconds would count a handful.
const loginSeconds = args.quick ? { warmup: 2, measure: 10 } : { warmup: 5, measure: 20 };

runMain(async () => {
  const loadBefore = loadavg();
  const { db, databaseServer, serviceEnv, node } = await setUp();

  const helloServer = await node(
    'hello',
    ['bench/hello.ts'],
    { WORKERS: String(workers) },
    '/hello',
  );
  const helloRow = await measure(helloServer, hello, seconds);
  await helloServer.stop();

  const profileDir = args['cpu-prof'];
  const { flags, script } = await productionCommand();
  const service = await node(
    'service',
    [...flags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), script],
    { ...serviceEnv, WEB_CONCURRENCY: String(workers) },
    '/readyz',
  );
  const against = args.against
    ? await node('against', [...flags, args.against], serviceEnv, '/readyz')
    : undefined;
  const answered = { created: [] as number[], completed: [] as number[] };
  const { steps, token } = serviceSteps(db.fixtures, answered, () => db.outboxDelivered());
  const only = args.only?.split(',');
  const chosen = (step: Step) => !only || only.includes(step.key);
  const helloRate = helloRow.requestsPerSecond;
  const rows: Row[] = [];
  /** With --against, both builds' rows in the order they ran. */
  const sideBySide: Row[] = [];
  const rounds = against ? Number(args.rounds) : 1;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number ≥ 1');
  // Of two runs of one build in a row, the second measures 5–15% more CPU per request (an A/A
  // run shows it), so the order flips from round to round and pairs of rounds cancel it out.
  for (let round = 0; round < rounds; round++)
    for (const step of steps.filter(chosen)) {
      const runs = [
        ...(against ? [[against, { ...step, label: `${step.label} (against)` }] as const] : []),
        [service, step] as const,
      ];
      for (const [server, labelled] of round % 2 === 0 ? runs : runs.reverse()) {
        const row = await measure(server, labelled, seconds, helloRate);
        if (server === service) rows.push(row);
        sideBySide.push(row);
      }
    }
  await against?.stop();
  const tokenRow = chosen(token)
    ? await measure(service, token, loginSeconds, helloRate)
    : undefined;
  const endRssMb = rssBytes(service.child.pid as number) / 2 ** 20;
  const writes = await db.verify(answered);
  await service.stop();

  const verdicts = targets(rows, writes, endRssMb);
  const loadAfter = loadavg();
  const machine = {
    cpus: `${cpus().length} × ${cpus()[0]?.model}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadBefore,
    loadAfter,
  };
  const average = (load: number[]) => load.map((n) => n.toFixed(2)).join(' ');
  console.log(`\n${table([helloRow, ...rows])}`);
  if (against)
    console.log(
      `\nthe same steps on ${args.against}, in the order they ran, the other build first in odd rounds:\n\n${table(sideBySide)}`,
    );
  if (tokenRow)
    console.log(
      `\nbcrypt-bound (cost ${BCRYPT_COST}), not compared with a target:\n\n${table([tokenRow])}`,
    );
  console.log(`\nwrites: ${describeWrites(writes)}`);
  for (const row of rows)
    if (row.settledMs !== undefined)
      console.log(
        `${row.label}: everything it set going had finished ${(row.settledMs / 1000).toFixed(1)} s after the load stopped, inside its CPU µs/req`,
      );
  console.log(
    `service RSS at the end: ${Math.round(endRssMb)} MB` +
      (workers > 1 ? ` (the primary and ${workers} workers)` : ''),
  );
  console.log('\ntargets:');
  for (const target of verdicts)
    console.log(`  ${target.met ? 'met   ' : 'MISSED'} ${target.name}: ${target.measured}`);
  console.log(
    `\nmachine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${databaseServer}; ` +
      `load average (1, 5, 15 min) ${average(loadBefore)} before, ${average(loadAfter)} after; ` +
      `${seconds.measure} s per step after ${seconds.warmup} s of warm-up`,
  );
  if (args.json)
    await writeFile(
      args.json,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: { ...machine, database: databaseServer },
          settings: { seconds, workers, bcryptCost: BCRYPT_COST },
          hello: helloRow,
          steps: rows,
          against: against ? { script: args.against, inOrder: sideBySide } : undefined,
          token: tokenRow,
          writes,
          serviceRssAtEndMb: endRssMb,
          targets: verdicts,
        },
        null,
        2,
      )}\n`,
    );
  if (profileDir) console.log(`\n${await summarizeProfiles(profileDir)}`);
});
