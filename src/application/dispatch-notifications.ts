import type { Clock } from './ports/clock.ts';
import type { Notifier } from './ports/notifier.ts';
import type { OutboxEntry, OutboxQueue } from './ports/outbox-queue.ts';
import { type RetryPolicy, retryDelayMs } from './retry-backoff.ts';

export interface DispatchSettings extends RetryPolicy {
  /** Sends under way at once, at most; a claim takes no more events than there are free slots. */
  concurrency: number;
  /**
   * A send that has not settled by then counts as a failed attempt, so a receiver that hangs
   * holds neither a slot nor `stop()` for long.
   */
  sendTimeoutMs: number;
  /**
   * How long a claimed event stays hidden from other claims. Longer than any send may take, so
   * an event goes out twice only when its dispatcher died or lost the queue mid-send.
   */
  leaseMs: number;
  /**
   * The longest sleep. Wake-ups cover this process's commits and its own retries; the poll
   * finds events committed by other processes and claims whose lease lapsed.
   */
  pollIntervalMs: number;
}

/** About ten attempts, the last at most about an hour after the first (half that on average). */
export const DEFAULT_DISPATCH_SETTINGS: DispatchSettings = {
  maxAttempts: 10,
  retryBaseMs: 10_000,
  retryMaxMs: 20 * 60_000,
  concurrency: 10,
  sendTimeoutMs: 30_000,
  leaseMs: 60_000,
  pollIntervalMs: 5_000,
};

// setTimeout fires at once for anything longer, which would turn a long poll into a busy loop.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

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
  /** An event was accepted by the receiver, `latencyMs` after its task was completed. */
  delivered(latencyMs: number): void;
  /** An attempt failed; the last attempt of an event that is then dead-lettered included. */
  attemptFailed(): void;
  /** An event was given up on and kept, dead, with its last error. */
  deadLettered(): void;
}

export interface DispatcherDeps {
  queue: OutboxQueue;
  notifier: Notifier;
  clock: Clock;
  log: DispatchLog;
  metrics?: DispatchMetrics;
  /** Uniform in [0, 1): the jitter of retry delays. */
  random?: () => number;
}

export interface Dispatcher {
  /** Looks for due events now rather than when the current sleep ends. */
  wake(): void;
  /** Stops claiming, lets the sends under way finish and record their outcome, then resolves. */
  stop(): Promise<void>;
}

/**
 * Delivers the outbox's events through the notifier until stopped: claims what is due, sends it
 * with bounded concurrency, and records each outcome (delivered, retry later with backoff, or
 * dead after the last attempt). Nothing escapes its loop: a queue that fails is logged and
 * tried again after the poll interval.
 */
export function startDispatcher(
  deps: DispatcherDeps,
  overrides: Partial<DispatchSettings> = {},
): Dispatcher {
  const settings = { ...DEFAULT_DISPATCH_SETTINGS, ...overrides };
  checkSettings(settings);
  const { queue, notifier, clock, log, metrics, random = Math.random } = deps;
  const now = () => clock.now().getTime();

  const inFlight = new Set<Promise<void>>();
  /** When this dispatcher's own retries fall due; a reason to cut a sleep short. */
  let retryTimes: number[] = [];
  let running = true;
  let wakeRequested = false;
  let sleeping: { until: number; end: () => void } | null = null;
  /** The last claim filled every free slot, so more events are probably due. */
  let backlog = false;
  let queueFailures = 0;

  function wake(): void {
    wakeRequested = true;
    sleeping?.end();
  }

  function sleep(ms: number): Promise<void> {
    if (wakeRequested || !running || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => end(), Math.min(ms, LONGEST_TIMER_MS));
      const end = () => {
        clearTimeout(timer);
        sleeping = null;
        resolve();
      };
      sleeping = { until: now() + ms, end };
    });
  }

  function sleepMs(): number {
    if (backlog) return inFlight.size < settings.concurrency ? 0 : settings.pollIntervalMs;
    const at = now();
    retryTimes = retryTimes.filter((time) => time > at);
    let ms = settings.pollIntervalMs;
    for (const time of retryTimes) ms = Math.min(ms, time - at);
    return ms;
  }

  async function claimAndSend(): Promise<void> {
    const free = settings.concurrency - inFlight.size;
    if (free <= 0) {
      backlog = true;
      return;
    }
    const at = now();
    const entries = await queue.claim(new Date(at), free, new Date(at + settings.leaseMs));
    backlog = entries.length === free;
    for (const entry of entries) {
      const sending = send(entry).finally(() => {
        inFlight.delete(sending);
        if (backlog) wake();
      });
      inFlight.add(sending);
    }
  }

  async function run(): Promise<void> {
    while (running) {
      wakeRequested = false;
      let ms = settings.pollIntervalMs;
      try {
        await claimAndSend();
        if (queueFailures > 0) log.info({ failures: queueFailures }, 'outbox queue is back');
        queueFailures = 0;
        ms = sleepMs();
      } catch (error) {
        queueFailures += 1;
        log.error(
          { err: error, failures: queueFailures },
          'claiming notifications failed; trying again after the poll interval',
        );
      }
      await sleep(ms);
    }
  }

  async function send(entry: OutboxEntry): Promise<void> {
    try {
      if (entry.attempts > settings.maxAttempts) {
        // Claims count attempts, so a claim whose lease lapsed (a crash, a lost queue) used one.
        await giveUp(entry, `lease of attempt ${entry.attempts - 1} expired with no outcome`);
        return;
      }
      const error = await attempt(entry);
      if (error === null) await delivered(entry);
      else await failed(entry, error);
    } catch (error) {
      log.error(
        { ...about(entry), err: error },
        'recording a notification outcome failed; the event is retried once its lease expires',
      );
    }
  }

  async function attempt(entry: OutboxEntry): Promise<string | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${settings.sendTimeoutMs} ms`)),
        settings.sendTimeoutMs,
      );
    });
    try {
      await Promise.race([notifier.notify(entry.event), timeout]);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async function delivered(entry: OutboxEntry): Promise<void> {
    const at = clock.now();
    await queue.markDelivered(entry.event.eventId, at);
    const latencyMs = at.getTime() - entry.event.completedAt.getTime();
    metrics?.delivered(latencyMs);
    log.debug({ ...about(entry), latencyMs }, 'notification delivered');
  }

  async function failed(entry: OutboxEntry, error: string): Promise<void> {
    metrics?.attemptFailed();
    if (entry.attempts >= settings.maxAttempts) {
      await giveUp(entry, error);
      return;
    }
    const retryAt = now() + retryDelayMs(entry.attempts, settings, random);
    await queue.retryLater(entry.event.eventId, new Date(retryAt), error);
    retryTimes.push(retryAt);
    if (sleeping && retryAt < sleeping.until) wake();
    log.warn({ ...about(entry), error, retryAt: new Date(retryAt) }, 'notification failed');
  }

  async function giveUp(entry: OutboxEntry, error: string): Promise<void> {
    await queue.markDead(entry.event.eventId, error);
    metrics?.deadLettered();
    log.error({ ...about(entry), error }, 'notification dead-lettered after its last attempt');
  }

  const unsubscribe = queue.onAdded(wake);
  const loop = run();
  let stopping: Promise<void> | undefined;
  return {
    wake,
    stop() {
      stopping ??= (async () => {
        running = false;
        unsubscribe();
        sleeping?.end();
        await loop;
        await Promise.all(inFlight);
      })();
      return stopping;
    },
  };
}

function about(entry: OutboxEntry) {
  return { eventId: entry.event.eventId, taskId: entry.event.taskId, attempt: entry.attempts };
}

function checkSettings(settings: DispatchSettings): void {
  for (const [name, value] of Object.entries(settings))
    if (!(value > 0)) throw new RangeError(`Dispatch setting ${name} must be positive: ${value}`);
  if (!Number.isInteger(settings.maxAttempts) || !Number.isInteger(settings.concurrency))
    throw new RangeError('Dispatch settings maxAttempts and concurrency must be whole numbers');
  if (settings.leaseMs <= settings.sendTimeoutMs)
    throw new RangeError(
      'Dispatch setting leaseMs must exceed sendTimeoutMs, or a send still under way is claimed again',
    );
}
