import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger.ts';

const RESTART_DELAY_MS = 1000;

/**
 * The cluster primary's job: keep `count` workers running (they share the listening port),
 * replace one that dies, and on SIGTERM/SIGINT pass the signal on, wait for every worker to
 * finish its requests and exit, run `afterWorkers`, then exit 0.
 */
export function superviseWorkers(options: {
  count: number;
  env: Record<string, string>;
  logger: Logger;
  afterWorkers: () => Promise<void>;
}): void {
  const { count, env, logger } = options;
  let stopping = false;
  const fork = () => cluster.fork(env);

  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void finish();
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });

  async function finish(): Promise<void> {
    await options.afterWorkers();
    logger.info('stopped');
    process.exit(0);
  }

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: waiting for the workers to finish');
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) void finish();
    for (const worker of workers) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, `started ${count} workers`);
}
