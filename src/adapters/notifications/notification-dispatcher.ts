import {
  type Dispatcher,
  type DispatchMetrics,
  startDispatcher,
} from '../../application/dispatch-notifications.ts';
import type { Clock } from '../../application/ports/clock.ts';
import type { Notifier } from '../../application/ports/notifier.ts';
import type { OutboxQueue } from '../../application/ports/outbox-queue.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../logger.ts';
import { chooseNotifier, notificationTarget } from './choose-notifier.ts';

export interface NotificationDispatcherDeps {
  queue: OutboxQueue;
  config: Pick<Config, 'lambda' | 'outbox'>;
  clock: Clock;
  logger: Logger;
  metrics?: DispatchMetrics;
  /** Replaces the notifier the configuration picks. */
  notifier?: Notifier;
}

/**
 * Starts the dispatcher the configuration describes. Whether to start one is the caller's call:
 * the API only when OUTBOX_DISPATCHER is in-process, `npm run dispatcher` always.
 */
export function startNotificationDispatcher(deps: NotificationDispatcherDeps): Dispatcher {
  const { queue, config, clock, metrics } = deps;
  const { maxAttempts, retryBaseMs, retryMaxMs, pollIntervalMs, concurrency, leaseMs } =
    config.outbox;
  const log = deps.logger.child({ component: 'notifications' });
  log.info(
    { maxAttempts, concurrency },
    `notification dispatcher started: delivering to ${notificationTarget(config)}`,
  );
  const notifier = deps.notifier ?? chooseNotifier(config);
  return startDispatcher(
    { queue, notifier, clock, log, metrics },
    {
      maxAttempts,
      retryBaseMs,
      retryMaxMs,
      pollIntervalMs,
      concurrency,
      leaseMs,
      // Half the lease, so a send that hangs is given up well before another claim can take it.
      sendTimeoutMs: leaseMs / 2,
    },
  );
}
