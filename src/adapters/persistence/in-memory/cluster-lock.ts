import type { ClusterLock } from '../../../application/ports/cluster-lock.ts';

/** One process is the whole cluster of an in-memory database. */
export function inMemoryLock(): ClusterLock {
  const held = new Set<string>();
  return {
    async runAlone(name, work) {
      if (held.has(name)) return null;
      held.add(name);
      try {
        return await work();
      } finally {
        held.delete(name);
      }
    },
  };
}
