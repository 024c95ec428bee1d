import { sendTime } from '../../domain/task-event.ts';
import { batched } from '../batched.ts';
import type { Clock } from '../ports/clock.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { OutboxEntry, OutboxQueue } from '../ports/outbox-queue.ts';
import { withTimeout } from '../with-timeout.ts';
import { type RetryPolicy, retryDelayMs } from './retry-backoff.ts';

type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** What the dispatcher logs through; a pino logger fits. */
export interface DispatchLog {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** Hooks for counters and histograms; the backlog itself comes from `OutboxQueue.stats`. */
export interface DispatchMetrics {
  /** An event was accepted by the receiver, `latencyMs` after it was meant to go out. */
  delivered(latencyMs: number): void;
  /** An attempt failed; the last attempt of an event that is then dead-lettered included. */
  attemptFailed(): void;
  /** An event was given up on and kept, dead, with its last error. */
  deadLettered(): void;
}

export interface DeliveryDeps {
  queue: OutboxQueue;
  notifier: Notifier;
  clock: Clock;
  log: DispatchLog;
  metrics?: DispatchMetrics;
  /** Uniform in [0, 1): the jitter of retry delays. */
  random?: () => number;
}

export interface DeliverySettings extends RetryPolicy {
  /** A send that has not settled by then counts as a failed attempt. */
  sendTimeoutMs: number;
}

/**
 * Delivers one claimed event and records its outcome: delivered, retried later with backoff, or
 * dead after the last attempt. Resolves to when the event falls due again (a retry), or null.
 * Never rejects: an outcome that cannot be recorded is logged, and the event comes back when its
 * lease lapses.
 */
export function eventDelivery(
  deps: DeliveryDeps,
  settings: DeliverySettings,
): (entry: OutboxEntry) => Promise<Date | null> {
  const { queue, notifier, clock, log, metrics, random = Math.random } = deps;
  const markDelivered = batched<string>((eventIds) => queue.markDelivered(eventIds, clock.now()));

  async function attempt(entry: OutboxEntry): Promise<string | null> {
    try {
      await withTimeout(notifier.notify(entry.event), settings.sendTimeoutMs);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  async function delivered(entry: OutboxEntry): Promise<null> {
    const at = clock.now();
    await markDelivered(entry.event.eventId);
    const latencyMs = at.getTime() - sendTime(entry.event).getTime();
    metrics?.delivered(latencyMs);
    log.debug({ ...about(entry), latencyMs }, 'notification delivered');
    return null;
  }

  async function failed(entry: OutboxEntry, error: string): Promise<Date | null> {
    metrics?.attemptFailed();
    if (entry.attempts >= settings.maxAttempts) return giveUp(entry, error);
    const retryAt = new Date(
      clock.now().getTime() + retryDelayMs(entry.attempts, settings, random),
    );
    await queue.retryLater(entry.event.eventId, retryAt, error);
    log.warn({ ...about(entry), error, retryAt }, 'notification failed');
    return retryAt;
  }

  async function giveUp(entry: OutboxEntry, error: string): Promise<null> {
    await queue.markDead(entry.event.eventId, error);
    metrics?.deadLettered();
    log.error({ ...about(entry), error }, 'notification dead-lettered after its last attempt');
    return null;
  }

  return async (entry) => {
    try {
      // Claims count attempts, so a claim whose lease lapsed (a crash, a lost queue) used one.
      if (entry.attempts > settings.maxAttempts)
        return await giveUp(
          entry,
          `lease of attempt ${entry.attempts - 1} expired with no outcome`,
        );
      const error = await attempt(entry);
      return error === null ? await delivered(entry) : await failed(entry, error);
    } catch (error) {
      log.error(
        { ...about(entry), err: error },
        'recording a notification outcome failed; the event is retried once its lease expires',
      );
      return null;
    }
  };
}

function about(entry: OutboxEntry) {
  const { eventId, taskId, type } = entry.event;
  return { eventId, taskId, type, attempt: entry.attempts };
}
