import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashRequest, PasswordHasher } from '../application/ports/password-hasher.ts';
import { Unavailable } from '../application/ports/unavailable.ts';

/*
 * bcryptjs is plain JavaScript: on the event loop, even its asynchronous API holds the loop for
 * slices of up to 100 ms, so a burst of log-ins stalled every other request by hundreds of ms.
 * Worker threads compute the hashes instead, one per core, shared by every hasher of the process
 * (the cores are shared too).
 *
 * Hashes wait for a worker in one line per client, and the lines take turns, so that a flood from
 * many addresses cannot starve another one. A line that was empty goes ahead of the turns for its
 * first hash, as fair queueing serves new flows first: one log-in from a quiet address waits for
 * the hashes under way, not for a turn of every flooding address; a flooding address, whose line
 * never empties, gains nothing by it. A hash still waiting after the queue timeout is refused
 * (503 with Retry-After), and one whose client went away leaves its line, never computed.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.on('message', ({ operation, args }) => {
  try {
    parentPort.postMessage({ result: bcrypt[operation](...args) });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});`;

const POOL_SIZE = availableParallelism();

export const DEFAULT_HASH_QUEUE_TIMEOUT_MS = 10_000;

type Operation =
  | { operation: 'hashSync'; args: [string, number] }
  | { operation: 'compareSync'; args: [string, string] };

interface Job {
  operation: Operation;
  resolve(result: unknown): void;
  reject(error: unknown): void;
  /** Leaves the line for a worker: no timeout, no abort from now on. */
  started(): void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

const slots: Slot[] = [];
/** Waiting jobs, one line per client, in the order the lines take their turns (a Map keeps it). */
const lines = new Map<string, Job[]>();
/** Lines of clients that had nothing waiting: each is served once ahead of `lines`, then joins. */
const newLines = new Map<string, Job[]>();

function startSlot(): Slot {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { bcryptjs: createRequire(import.meta.url).resolve('bcryptjs') },
  });
  const slot: Slot = { worker, job: undefined };
  worker.on('message', ({ result, error }) => {
    const job = slot.job;
    slot.job = undefined;
    // An idle pool does not hold the process open.
    worker.unref();
    if (error === undefined) job?.resolve(result);
    else job?.reject(new Error(error));
    dispatch();
  });
  const fail = (error: Error) => {
    const index = slots.indexOf(slot);
    if (index === -1) return;
    slots.splice(index, 1);
    slot.job?.reject(error);
    dispatch();
  };
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('a bcrypt worker exited')));
  slots.push(slot);
  return slot;
}

/** The first job of the line whose turn it is; that line goes to the back of the turns. */
function nextJob(): Job | undefined {
  const turn = newLines.entries().next();
  const [client, line] = turn.done ? (lines.entries().next().value ?? []) : turn.value;
  if (client === undefined || !line) return undefined;
  newLines.delete(client);
  lines.delete(client);
  const job = line.shift();
  if (line.length > 0) lines.set(client, line);
  return job;
}

function dispatch(): void {
  while (lines.size + newLines.size > 0) {
    const slot =
      slots.find((candidate) => candidate.job === undefined) ??
      (slots.length < POOL_SIZE ? startSlot() : undefined);
    const job = slot && nextJob();
    if (!slot || !job) return;
    job.started();
    slot.job = job;
    slot.worker.ref();
    slot.worker.postMessage(job.operation);
  }
}

const busy = (timeoutMs: number) =>
  new Unavailable(
    'hashing_busy',
    'Too many passwords are being checked at once; try again shortly.',
    Math.max(Math.ceil(timeoutMs / 1000), 1),
  );

function inWorker<T>(
  operation: Operation,
  request: HashRequest | undefined,
  timeoutMs: number | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const client = request?.client ?? '';
    const signal = request?.signal;
    const gone = () => new DOMException('The client went away.', 'AbortError');
    if (signal?.aborted) return reject(gone());
    let timer: NodeJS.Timeout | undefined;
    const job: Job = {
      operation,
      resolve: resolve as (result: unknown) => void,
      reject,
      started() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abandon);
      },
    };
    function leave(error: Error): void {
      job.started();
      const line = lines.get(client) ?? newLines.get(client) ?? [];
      line.splice(line.indexOf(job), 1);
      if (line.length === 0) {
        lines.delete(client);
        newLines.delete(client);
      }
      reject(error);
    }
    function abandon(): void {
      leave(gone());
    }
    if (timeoutMs !== undefined) timer = setTimeout(() => leave(busy(timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', abandon, { once: true });
    const line = lines.get(client) ?? newLines.get(client);
    if (line) line.push(job);
    else newLines.set(client, [job]);
    dispatch();
  });
}

export function bcryptPasswordHasher(
  cost: number,
  { queueTimeoutMs = DEFAULT_HASH_QUEUE_TIMEOUT_MS }: { queueTimeoutMs?: number } = {},
): PasswordHasher {
  const hash = (password: string, request?: HashRequest) =>
    inWorker<string>({ operation: 'hashSync', args: [password, cost] }, request, queueTimeoutMs);
  // Compared against when the user does not exist, so that login costs the same either way.
  const dummyHash = inWorker<string>(
    { operation: 'hashSync', args: [randomBytes(16).toString('hex'), cost] },
    undefined,
    undefined,
  );
  return {
    hash,
    async verify(password, stored, request) {
      const against = stored ?? (await dummyHash);
      const matches = await inWorker<boolean>(
        { operation: 'compareSync', args: [password, against] },
        request,
        queueTimeoutMs,
      );
      return stored !== null && matches;
    },
  };
}
