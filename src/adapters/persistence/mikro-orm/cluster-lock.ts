import type { ClusterLock } from '../../../application/ports/cluster-lock.ts';
import { guarded } from './failures.ts';

/** The part of a pooled `pg` client that an advisory lock needs. */
interface LockClient {
  query(sql: string, values: unknown[]): Promise<{ rows: { locked?: boolean }[] }>;
  release(destroy?: boolean): void;
}

export interface LockPool {
  connect(): Promise<LockClient>;
}

/**
 * A PostgreSQL session advisory lock per name, held on a connection of its own while the work
 * runs: every instance on the database sees it, and a process that dies drops it with its
 * connection.
 */
export function advisoryLock(pool: () => Promise<LockPool>): ClusterLock {
  return {
    async runAlone(name, work) {
      const client = await guarded(async () => (await pool()).connect());
      const key = [`task-api:${name}`];
      try {
        const { rows } = await guarded(() =>
          client.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', key),
        );
        if (!rows[0]?.locked) return null;
        try {
          return await work();
        } finally {
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', key);
        }
      } finally {
        client.release();
      }
    },
  };
}
