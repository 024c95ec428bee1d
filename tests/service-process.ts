import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `node <entry>` as `npm start` does, in a fresh data directory, on a spare port. */
export async function startService(
  env: Record<string, string> = {},
  entry = 'src/main.ts',
): Promise<ServiceProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'task-api-'));
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const listening = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        logs.push(entry);
        if (typeof entry.port === 'number' && /^listening/.test(entry.msg)) resolve(entry.port);
      } catch {
        logs.push({ raw: line });
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening`)));
  });
  const port = await listening;
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    logs,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}

/** Runs the entry point to completion and returns its exit code and output. */
export async function runToExit(env: Record<string, string>, entry = 'src/main.ts') {
  const child = spawn(process.execPath, [entry], {
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
