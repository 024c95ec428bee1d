import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { PasswordHasher } from '../application/ports/password-hasher.ts';

/**
 * bcryptjs is plain JavaScript: on the event loop, even its asynchronous API holds the loop for
 * slices of up to 100 ms, so a burst of log-ins stalled every other request by hundreds of ms.
 * One worker thread per process computes the hashes instead, one after another: a burst of
 * log-ins queues behind itself, not in front of the API.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.on('message', ({ id, operation, args }) => {
  try {
    parentPort.postMessage({ id, result: bcrypt[operation](...args) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});`;

type Operation =
  | { operation: 'hashSync'; args: [string, number] }
  | {
      operation: 'compareSync';
      args: [string, string];
    };

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function failAll(failed: Worker, error: Error): void {
  if (worker !== failed) return;
  worker = undefined;
  for (const job of pending.values()) job.reject(error);
  pending.clear();
}

function startWorker(): Worker {
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { bcryptjs: createRequire(import.meta.url).resolve('bcryptjs') },
  });
  started.on('message', ({ id, result, error }) => {
    const job = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) started.unref();
    if (error === undefined) job?.resolve(result);
    else job?.reject(new Error(error));
  });
  started.on('error', (error) => failAll(started, error));
  started.on('exit', () => failAll(started, new Error('the bcrypt worker exited')));
  return started;
}

function inWorker<T>(job: Operation): Promise<T> {
  worker ??= startWorker();
  // Holds the process open only while a hash is owed to someone.
  worker.ref();
  const id = nextId++;
  const result = new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
  });
  worker.postMessage({ id, ...job });
  return result;
}

export function bcryptPasswordHasher(cost: number): PasswordHasher {
  const hash = (password: string) =>
    inWorker<string>({ operation: 'hashSync', args: [password, cost] });
  // Compared against when the user does not exist, so that login costs the same either way.
  const dummyHash = hash(randomBytes(16).toString('hex'));
  return {
    hash,
    async verify(password, stored) {
      const against = stored ?? (await dummyHash);
      const matches = await inWorker<boolean>({
        operation: 'compareSync',
        args: [password, against],
      });
      return stored !== null && matches;
    },
  };
}
