import type { OutboxQueue } from '../ports/outbox-queue.ts';
import { type DeliveryDeps, type DeliverySettings, eventDelivery } from './deliver-event.ts';

export type { DispatchLog, DispatchMetrics } from './deliver-event.ts';

export interface DispatchSettings extends DeliverySettings {
  /** Sends under way at once, at most; a claim takes no more events than there are free slots. */
  concurrency: number;
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
  /**
   * The least time between the starts of two claims. Under load every commit wakes the
   * dispatcher; waiting out the rest of this gap lets the events of several commits share one
   * claim (and their deliveries one mark) instead of costing two statements each. An event
   * committed after a quiet spell is claimed at once.
   */
  claimGapMs: number;
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
  claimGapMs: 20,
};

// setTimeout fires at once for anything longer, which would turn a long poll into a busy loop.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A reminder's time comes with no commit to announce it, so no idle sleep is longer than this,
 * whatever the poll interval: a reminder is claimed within a minute of its time.
 */
export const LONGEST_IDLE_SLEEP_MS = 60_000;

export interface DispatcherDeps extends DeliveryDeps {
  queue: OutboxQueue;
}

export interface Dispatcher {
  /** Looks for due events now rather than when the current sleep ends. */
  wake(): void;
  /** Stops claiming, lets the sends under way finish and record their outcome, then resolves. */
  stop(): Promise<void>;
}

/**
 * Delivers the outbox's events until stopped. This is the schedule: claim what is due into the
 * free send slots, sleep until the next reason to look (a commit, a retry falling due, a freed
 * slot while a backlog waits, the poll interval), and stop cleanly. Each event's delivery is
 * `eventDelivery`'s. Nothing escapes the loop: a queue that fails is logged and tried again
 * after the poll interval.
 */
export function startDispatcher(
  deps: DispatcherDeps,
  overrides: Partial<DispatchSettings> = {},
): Dispatcher {
  const settings = { ...DEFAULT_DISPATCH_SETTINGS, ...overrides };
  checkSettings(settings);
  const { queue, clock, log } = deps;
  const deliver = eventDelivery(deps, settings);
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
  /** When the last claim started, on the monotonic clock: the gap is about the database's load. */
  let lastClaimAt = Number.NEGATIVE_INFINITY;

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
    let ms = Math.min(settings.pollIntervalMs, LONGEST_IDLE_SLEEP_MS);
    for (const time of retryTimes) ms = Math.min(ms, time - at);
    return ms;
  }

  function retryDue(at: Date): void {
    retryTimes.push(at.getTime());
    if (sleeping && at.getTime() < sleeping.until) wake();
  }

  async function claimAndSend(): Promise<void> {
    if (inFlight.size >= settings.concurrency) {
      backlog = true;
      return;
    }
    const gap = lastClaimAt + settings.claimGapMs - performance.now();
    // Not cut short by wakes: they are what the gap gathers.
    if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
    if (!running) return;
    // Counted after the gap: the slots freed while it passed join this claim rather than wait
    // a gap more (with fast sends, the first delivery of a batch woke a claim of one slot).
    const free = settings.concurrency - inFlight.size;
    lastClaimAt = performance.now();
    const at = now();
    const entries = await queue.claim(new Date(at), free, new Date(at + settings.leaseMs));
    backlog = entries.length === free;
    for (const entry of entries) {
      const sending = deliver(entry)
        .then((retryAt) => {
          if (retryAt) retryDue(retryAt);
        })
        .finally(() => {
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
