// `npm run soak -- [--duration 2m] [--users 20] [--url http://127.0.0.1:8000]`: a bounded soak.
// Many users at once register, log in, create, list with filters and pages, update, complete,
// reopen and delete tasks for `--duration`; then the run checks its invariants, prints a summary
// table and exits 1 if one failed (2 if it could not run). By default it builds and starts its
// own service (see scripts/soak/service.ts); `--url` drives an instance already running, which
// must be on this machine.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseDuration } from '../src/config.ts';
import {
  answered,
  type Check,
  completionsNotified,
  createsReadable,
  type MemorySample,
  memoryStable,
  nothingLogged,
  remindersNotified,
} from './soak/checks.ts';
import { printSummary } from './soak/report.ts';
import { ownService, runningService, sleep, type Target } from './soak/service.ts';
import { nextAction, stats, VirtualUser } from './soak/traffic.ts';

const USAGE = 'Usage: npm run soak -- [--duration 2m] [--users 20] [--url http://127.0.0.1:PORT]';

class UsageError extends Error {}

interface Options {
  durationMs: number;
  users: number;
  url?: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '2m' },
      users: { type: 'string', default: '20' },
      url: { type: 'string' },
    },
  });
  const seconds = parseDuration(values.duration);
  const users = Number(values.users);
  if (!seconds)
    throw new UsageError(`--duration must look like 2m, 90s or 120 (got "${values.duration}").`);
  if (!Number.isInteger(users) || users < 2 || users > 1000)
    throw new UsageError(`--users must be a whole number from 2 to 1000 (got "${values.users}").`);
  if (values.url !== undefined) {
    const url = URL.parse(values.url);
    // Load is for machines you own: the loopback interface is the only target.
    const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url?.hostname ?? '');
    if (!loopback || !['http:', 'https:'].includes(url?.protocol ?? ''))
      throw new UsageError(
        `--url must be an http URL on this machine (localhost, 127.x.x.x or [::1]), got "${values.url}".`,
      );
  }
  return { durationMs: seconds * 1000, users, url: values.url?.replace(/\/$/, '') };
}

async function residentMemory(url: string): Promise<Omit<MemorySample, 'at'>> {
  const text = await fetch(`${url}/metrics`).then(
    (response) => (response.ok ? response.text() : ''),
    () => '',
  );
  const value = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    rss: value('process_resident_memory_bytes'),
    heap: value('nodejs_heap_size_used_bytes'),
  };
}

/** Drives `options.users` users until the duration is up (or Ctrl-C), sampling memory. */
async function drive(options: Options, target: Target) {
  const run = randomBytes(3).toString('hex');
  const users = Array.from(
    { length: options.users },
    (_, i) => new VirtualUser(target.url, `soak_${run}_${i}`),
  );
  console.log(`registering ${users.length} users…`);
  await Promise.all(users.map((user) => user.join()));

  const started = Date.now();
  const samples: MemorySample[] = [];
  const sampler = setInterval(async () => {
    const at = Date.now() - started;
    samples.push({ at, ...(await residentMemory(target.url)) });
  }, 1000);
  const progress = setInterval(() => {
    const done = [...stats.values()].reduce((sum, stat) => sum + stat.count, 0);
    console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${done} requests`);
  }, 15_000);
  let stopping = false;
  const stopEarly = () => {
    stopping = true;
  };
  process.once('SIGINT', stopEarly);

  let newcomers = 0;
  await Promise.all(
    [...users].map(async (user) => {
      while (!stopping && Date.now() - started < options.durationMs) {
        await sleep(20 + Math.random() * 80);
        await nextAction()(user, users);
        // Now and then someone new signs up, creates a task, and leaves.
        if (Math.random() < 0.0005) {
          const newcomer = new VirtualUser(target.url, `soak_${run}_new${newcomers++}`);
          users.push(newcomer);
          await newcomer.join();
          await newcomer.create(users);
        }
      }
    }),
  );
  clearInterval(sampler);
  clearInterval(progress);
  process.off('SIGINT', stopEarly);
  return { users, samples, elapsedMs: Date.now() - started };
}

async function soak(options: Options, target: Target): Promise<Check[]> {
  const { users, samples, elapsedMs } = await drive(options, target);
  console.log('load stopped; checking invariants…');
  const checks = [
    ...answered(),
    await createsReadable(users),
    await completionsNotified(target),
    await remindersNotified(target),
    ...nothingLogged(target),
    memoryStable(samples, Math.min(30_000, options.durationMs / 4)),
  ];
  printSummary({
    heading: `Soak: ${Math.round(elapsedMs / 1000)} s, ${options.users} users, ${target.url}`,
    target: target.description,
    elapsedMs,
    samples,
    checks,
  });
  return checks;
}

async function main(): Promise<void> {
  const opts = options();
  const target = opts.url ? await runningService(opts.url) : await ownService();
  try {
    const checks = await soak(opts, target);
    process.exitCode = checks.some((check) => check.result === 'FAIL') ? 1 : 0;
  } finally {
    await target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(2);
});
