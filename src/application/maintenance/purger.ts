import type { DispatchLog } from '../notifications/deliver-event.ts';
import { type PurgeDeps, purgeExpired, type Retention } from './purge.ts';

/** Counts what each purge removed; the Prometheus adapter implements it. */
export interface PurgeMetrics {
  removed(kind: string, rows: number): void;
}

export interface Purger {
  /** Lets a purge under way finish, and starts no other. */
  stop(): Promise<void>;
}

/** An hour: what a purge removes has waited days; the hourly batches stay small. */
export const PURGE_INTERVAL_MS = 60 * 60_000;

/**
 * Purges now and then every `intervalMs`, in whichever process of the service holds the lock
 * at the time. A failed purge is logged and tried again at the next interval.
 */
export function startPurger(
  deps: PurgeDeps & { log: Pick<DispatchLog, 'info' | 'error'>; metrics?: PurgeMetrics },
  retention: Retention,
  intervalMs = PURGE_INTERVAL_MS,
): Purger {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function purge(): Promise<void> {
    try {
      const removed = await purgeExpired(deps, retention);
      for (const [kind, rows] of Object.entries(removed ?? {})) deps.metrics?.removed(kind, rows);
      if (removed) deps.log.info({ removed }, 'purged what is past its retention');
    } catch (error) {
      deps.log.error({ err: error }, 'purge failed; trying again at the next interval');
    }
  }

  function schedule(ms: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = purge().finally(() => schedule(intervalMs));
    }, ms);
    // The purge is housekeeping: it never holds the process open.
    timer.unref();
  }

  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
