import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';

export interface Running {
  name: string;
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within 20 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

// USER_HZ, in which /proc reports CPU time: 100 on every Linux architecture Node runs on.
const CLOCK_TICK_MICROS = 10_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function tail(file: string, lines = 20): string {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Runs `node <args>` with its output in `logFile` (a pipe read by the load generator would cost
 * the load generator's CPU), and resolves once `readyPath` answers 200.
 */
export async function startNode(options: {
  name: string;
  args: string[];
  env: Record<string, string | undefined>;
  port: number;
  readyPath: string;
  logFile: string;
}): Promise<Running> {
  const log = openSync(options.logFile, 'a');
  // Its own process group, so that Ctrl-C reaches the bench alone and it stops things in order.
  const child = spawn(process.execPath, options.args, {
    env: { ...options.env, PORT: String(options.port) },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  const exited = once(child, 'exit');
  // Should the bench itself crash, it takes the process down with it.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  void exited.then(() => process.off('exit', kill));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
    return child.exitCode;
  };
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited with ${child.exitCode}:\n${tail(options.logFile)}`);
    const status = await fetch(url + options.readyPath).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return { name: options.name, url, child, stop };
    await sleep(200);
  }
  await stop();
  throw new Error(`${options.name} was not ready within 60 s:\n${tail(options.logFile)}`);
}

function descendants(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean),
  );
  return [pid, ...children.map(Number).flatMap(descendants)];
}

/** The sum of `read(pid)` over `pid` and its children (cluster workers); 0 once it is gone. */
function overProcessTree(pid: number, read: (pid: number) => number): number {
  try {
    return descendants(pid).reduce((sum, one) => sum + read(one), 0);
  } catch {
    return 0;
  }
}

/** Resident memory of `pid` and its children, in bytes. */
export function rssBytes(pid: number): number {
  return overProcessTree(pid, (one) => {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${one}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  });
}

/** CPU time (user and system) `pid` and its children have used, in µs. */
export function cpuMicros(pid: number): number {
  return overProcessTree(pid, (one) => {
    const stat = readFileSync(`/proc/${one}/stat`, 'utf8');
    // After the parenthesized command name: utime and stime are fields 14 and 15 of stat(5).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MICROS;
  });
}

/** Samples `rssBytes(pid)` until stopped; `stop` returns the highest sample. */
export function sampleRss(pid: number, everyMs = 250): { stop(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid));
    },
  };
}
