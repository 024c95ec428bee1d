import type { Repositories } from './repositories.ts';

/** Runs `work` in one transaction: everything it wrote commits together, or none of it does. */
export interface UnitOfWork {
  run<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
}
