// The system a soak drives: a service of its own, or one already running.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { startLocalLambda } from '../../lambda/local-endpoint.ts';
import type { TaskEventPayload } from '../../src/adapters/notifications/payload.ts';
import { startEmbeddedPostgres } from '../../src/adapters/persistence/embedded-postgres.ts';

const root = new URL('../../', import.meta.url).pathname;
const HEAP_MIB = 256;

export interface Target {
  url: string;
  description: string;
  /** Events the Lambda endpoint received, duplicates included; undefined when not this run's. */
  received?: TaskEventPayload[];
  /** Error lines the service logged so far; undefined when its log is not this run's. */
  errorLines?: () => number;
  stop(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An instance already running at `url`, once it answers. */
export async function runningService(url: string): Promise<Target> {
  await waitUntilHealthy(url, 10_000);
  return { url, description: 'an instance already running (--url)', stop: async () => {} };
}

/**
 * Builds the service and runs it as production does, on its own PostgreSQL (SOAK_DATABASE_URL,
 * or an embedded one in a temporary directory) and with a local Lambda endpoint recording events.
 */
export async function ownService(): Promise<Target> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    process.stdout.write('building (npm run build)… ');
    await promisify(execFile)('npm', ['run', 'build'], { cwd: root });
    let databaseUrl = process.env.SOAK_DATABASE_URL;
    let database = 'PostgreSQL at SOAK_DATABASE_URL';
    if (!databaseUrl) {
      const dataDir = await mkdtemp(join(tmpdir(), 'task-api-soak-'));
      stops.push(() => rm(dataDir, { recursive: true, force: true }));
      process.stdout.write('starting an embedded PostgreSQL… ');
      const postgres = await startEmbeddedPostgres({ dataDir, throwaway: true });
      stops.push(() => postgres.stop());
      databaseUrl = postgres.url;
      database = 'embedded PostgreSQL in a temporary directory';
    }
    const received: TaskEventPayload[] = [];
    const lambda = await startLocalLambda({
      port: 0,
      handler: (event) => {
        received.push(event as TaskEventPayload);
        return { statusCode: 200 };
      },
    });
    stops.push(() => lambda.close());

    const port = await freePort();
    process.stdout.write('starting the service… ');
    // A heap budget, as a container's memory limit gives one: without it, on a machine with
    // memory to spare, V8 defers full collections and RSS climbs with garbage, not with leaks.
    const flags = ['--enable-source-maps', `--max-old-space-size=${HEAP_MIB}`];
    const child = spawn(process.execPath, [...flags, 'dist/main.js'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        JWT_SECRET: randomBytes(32).toString('hex'),
        // Every virtual user comes from one loopback address, so the per-client limits would
        // measure themselves; the soak measures the service.
        THROTTLE_USER_RATE: '1000000/min',
        THROTTLE_ANON_RATE: '1000000/min',
        LAMBDA_FUNCTION_NAME: 'task-completed',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
        LOG_LEVEL: 'info',
      },
    });
    stops.push(() => stopChild(child));
    let errors = 0;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (/"level":"(error|fatal)"/.test(line)) errors += 1;
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntilHealthy(url, 60_000, child);
    console.log('ready.');
    return {
      url,
      description: `own service: production build (pid ${child.pid}, ${HEAP_MIB} MiB heap), ${database}, local Lambda endpoint`,
      received,
      errorLines: () => errors,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function waitUntilHealthy(url: string, timeoutMs: number, child?: ChildProcess) {
  for (let waited = 0; waited < timeoutMs; waited += 200) {
    if (child && child.exitCode !== null)
      throw new Error(`the service exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url}/healthz did not answer within ${timeoutMs / 1000} s`);
}
