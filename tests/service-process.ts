import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceProcess {
  url: string;
  /** Where the service keeps its state: DATA_DIR, given or made for it. */
  dataDir: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  /** Sends SIGTERM and resolves with the exit code; removes a data directory made for it. */
  stop(): Promise<number | null>;
}

/** How `npm start` and the scripts run a source entry point: the console's .tsx need a loader. */
export const SOURCE_OPTIONS = ['--import', './scripts/jsx-loader.ts'];

/**
 * Runs `node <entry>` as `npm start` does, on a spare port, in `env.DATA_DIR` or else in a fresh
 * data directory (the embedded PostgreSQL's included) that goes when the service stops.
 */
export function startService(
  env: Record<string, string> = {},
  entry = 'src/main.ts',
  nodeOptions: string[] = SOURCE_OPTIONS,
): Promise<ServiceProcess> {
  return launch(process.execPath, [...nodeOptions, entry], env);
}

/**
 * Runs `npm run <script>` as a person or a process manager does (`child` is npm), until it logs
 * that it listens or, given `readyWhen`, a line it matches (then `url` is empty).
 */
export function startNpmScript(
  script: string,
  env: Record<string, string> = {},
  readyWhen?: (msg: string) => boolean,
): Promise<ServiceProcess> {
  return launch('npm', ['run', script], env, readyWhen);
}

async function launch(
  file: string,
  args: string[],
  env: Record<string, string>,
  readyWhen?: (msg: string) => boolean,
): Promise<ServiceProcess> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'task-api-')));
  const ownDataDir = env.DATA_DIR === undefined;
  const child = spawn(file, args, {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        logs.push(entry);
        if (readyWhen?.(String(entry.msg))) resolve('');
        else if (!readyWhen && typeof entry.port === 'number' && /^listening/.test(entry.msg))
          resolve(`http://${reachable(entry.address)}:${entry.port}`);
      } catch {
        logs.push({ raw: line });
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening`)));
  });
  const removeDataDir = () =>
    ownDataDir ? rm(dataDir, { recursive: true, force: true }) : Promise.resolve();
  const url = await listening.catch(async (error: unknown) => {
    await removeDataDir();
    throw error;
  });
  return {
    url,
    dataDir,
    child,
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await removeDataDir();
      return child.exitCode;
    },
  };
}

/** Where to reach a service bound to `address`: loopback when it listens on every interface. */
function reachable(address: unknown): string {
  if (address === undefined || address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return String(address).includes(':') ? `[${address}]` : String(address);
}

/**
 * Runs a source entry point with node (by default the service), or a whole command line such as
 * `['npm', 'run', 'migrate']`, to completion; returns its exit code and output.
 */
export async function runToExit(
  env: Record<string, string>,
  entryOrCommand: string | string[] = 'src/main.ts',
) {
  const [file, ...args] = (
    typeof entryOrCommand === 'string'
      ? [process.execPath, ...SOURCE_OPTIONS, entryOrCommand]
      : entryOrCommand
  ) as [string, ...string[]];
  const child = spawn(file, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}
