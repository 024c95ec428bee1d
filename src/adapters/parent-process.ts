import type { Logger } from './logger.ts';

/**
 * For a process an npm script started (`exec node …`, so npm is its parent): npm passes SIGTERM
 * and SIGINT on, but an npm killed outright passes nothing. Then this process sends itself
 * SIGTERM and stops as it would have, rather than serving on as an orphan nobody will stop.
 * Checked every second, without keeping the process alive.
 */
export function stopWhenNpmExits(logger: Logger): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    logger.warn({ parent }, 'npm, which started this process, has exited');
    process.kill(process.pid, 'SIGTERM');
  }, 1000);
  timer.unref();
}
