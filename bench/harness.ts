import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Instance, type Result } from 'autocannon';
import { scratchDatabase, TASKS, USERS } from '../scripts/million-tasks.ts';
import { describeServer } from '../src/adapters/connection-urls.ts';
import { CONFIG_VARIABLES } from '../src/config.ts';
import { reachable } from '../tests/redis-server.ts';
import { prepareDatabase } from './fixtures.ts';
import { cpuMicros, freePort, type Running, sampleRss, startNode } from './processes.ts';
import { type Row, toRow } from './report.ts';
import type { Step } from './steps.ts';

export const BCRYPT_COST = 12; // the service's default
// High enough that nothing is refused; the limiter still counts every request in Redis.
const UNLIMITED = '1000000000/min';

const progress = (message: string) => console.error(`[bench] ${message}`);

// What the bench started, stopped last-first on success, failure or Ctrl-C.
const cleanups: (() => Promise<unknown>)[] = [];
let load: Instance | undefined;
let stopping: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  stopping ??= (async () => {
    load?.stop();
    for (let step = cleanups.pop(); step; step = cleanups.pop())
      await step().catch((error: Error) => progress(`while stopping: ${error.message}`));
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    progress(`${signal}: stopping everything the bench started`);
    void cleanUp().then(() => process.exit(130));
  });

/** `npm run start:prod`, the production command, as Node's flags and script: the bench runs what ships. */
export async function productionCommand(): Promise<{ flags: string[]; script: string }> {
  const { scripts } = JSON.parse(await readFile('package.json', 'utf8'));
  const words: string[] = scripts['start:prod'].split(/\s+/);
  const args = words.slice(words.indexOf('node') + 1);
  return { flags: args.slice(0, -1), script: args.at(-1) as string };
}

/** Runs `main`, then stops what it started, whether it succeeded or not. */
export function runMain(main: () => Promise<void>): void {
  main()
    .catch((error: unknown) => {
      progress(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    })
    .finally(cleanUp);
}

function drive(url: string, step: Step, duration: number): Promise<Result> {
  const run = autocannon({ url, connections: step.connections, duration, requests: step.requests });
  load = run;
  return Promise.resolve(run).finally(() => {
    load = undefined;
  });
}

/**
 * Warms `target` up on the step's requests, then measures them: the load generator's figures,
 * the target's peak memory and the CPU time it spent.
 */
export async function measure(
  target: Running,
  step: Step,
  seconds: { warmup: number; measure: number },
  helloRate?: number,
): Promise<Row> {
  progress(
    `${step.label}: ${seconds.warmup} s warm-up, ${seconds.measure} s at ${step.connections} connections`,
  );
  const pid = target.child.pid as number;
  const memory = sampleRss(pid);
  await drive(target.url, step, seconds.warmup);
  await step.settle?.();
  const cpuBefore = cpuMicros(pid);
  const result = await drive(target.url, step, seconds.measure);
  const loadEnded = performance.now();
  await step.settle?.();
  const measured = {
    cpuMicros: cpuMicros(pid) - cpuBefore,
    peakRssBytes: memory.stop(),
    settledMs: step.settle && performance.now() - loadEnded,
  };
  return toRow(step, result, measured, helloRate ?? result.requests.average);
}

/**
 * Everything the measurements need: Redis (BENCH_REDIS_URL or the local default), a scratch
 * PostgreSQL (BENCH_DATABASE_URL's server or an embedded one) filled with a million tasks, and a
 * way to start Node processes that are stopped with the rest.
 */
export async function setUp() {
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await reachable(redisUrl)))
    throw new Error(
      `Redis is not answering at ${redisUrl}: the throttle runs against Redis. Start one ` +
        '(redis-server) or point BENCH_REDIS_URL at one.',
    );
  const work = await mkdtemp(join(tmpdir(), 'task-api-bench-'));
  cleanups.push(() => rm(work, { recursive: true, force: true }));

  const given = process.env.BENCH_DATABASE_URL;
  const databaseServer = given ? describeServer(given) : 'embedded PostgreSQL';
  progress(`starting a scratch database on ${databaseServer}`);
  // Durable, as a production server is: every commit waits for its flush to disk.
  const database = await scratchDatabase({ given, label: 'bench', durable: true });
  cleanups.push(() => database.dispose());
  const secret = randomBytes(32).toString('hex');
  const started = performance.now();
  progress(`loading ${USERS.toLocaleString('en')} users and ${TASKS.toLocaleString('en')} tasks`);
  const db = await prepareDatabase(database.url, { secret, bcryptCost: BCRYPT_COST });
  cleanups.push(() => db.close());
  progress(`loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  // The service's own settings come from the bench alone, whatever this shell has set.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CONFIG_VARIABLES.includes(name)),
  );
  async function node(
    name: string,
    args: string[],
    env: Record<string, string>,
    readyPath: string,
  ): Promise<Running> {
    const running = await startNode({
      name,
      args,
      env: { ...inherited, ...env },
      port: await freePort(),
      readyPath,
      logFile: join(work, `${name}.log`),
    });
    cleanups.push(() => running.stop());
    return running;
  }

  return {
    db,
    databaseServer,
    /** The environment the service and the bench-only compositions run with. */
    serviceEnv: {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      JWT_SECRET: secret,
      // The notifier function's code, in process: the benchmark measures the service, not AWS.
      NOTIFIER: 'in-process',
      DATA_DIR: work,
      THROTTLE_USER_RATE: UNLIMITED,
      THROTTLE_ANON_RATE: UNLIMITED,
      BCRYPT_COST: String(BCRYPT_COST),
    },
    node,
  };
}
