import type { ApiTokenStore } from '../ports/api-tokens.ts';
import type { Clock } from '../ports/clock.ts';
import type { ClusterLock } from '../ports/cluster-lock.ts';
import type { OutboxQueue } from '../ports/outbox-queue.ts';
import type { UnitOfWork } from '../ports/unit-of-work.ts';

export interface PurgeDeps {
  uow: UnitOfWork;
  queue: OutboxQueue;
  apiTokens: ApiTokenStore;
  clock: Clock;
  lock: ClusterLock;
}

/** How long what is done with stays before it is purged. */
export interface Retention {
  /** Outbox events, after their delivery. */
  deliveredEventsMs: number;
  /** Refresh and API tokens, after they expire (API tokens also after they are revoked). */
  expiredTokensMs: number;
}

/** Rows per statement: a purge never holds a long transaction or a large lock. */
export const PURGE_BATCH = 1000;

/** One kind of row the purge removes: what is older than `before` goes, `limit` at a time. */
interface PurgeTarget {
  kind: string;
  retentionMs: number;
  purge(before: Date, limit: number): Promise<number>;
}

/** Every store the purge empties; another store with expiring rows joins by adding its own. */
function targets(deps: PurgeDeps, retention: Retention): PurgeTarget[] {
  return [
    {
      kind: 'refresh_tokens',
      retentionMs: retention.expiredTokensMs,
      purge: (before, limit) => deps.uow.run((tx) => tx.refreshTokens.purgeExpired(before, limit)),
    },
    {
      kind: 'api_tokens',
      retentionMs: retention.expiredTokensMs,
      purge: (before, limit) => deps.apiTokens.purgeExpired(before, limit),
    },
    {
      // An expired console session is of no use to anyone: it goes at the next purge.
      kind: 'staff_sessions',
      retentionMs: 0,
      purge: (before, limit) => deps.uow.run((tx) => tx.staffSessions.purgeExpired(before, limit)),
    },
    {
      kind: 'delivered_events',
      retentionMs: retention.deliveredEventsMs,
      purge: (before, limit) => deps.queue.purgeDelivered(before, limit),
    },
  ];
}

/**
 * Removes what is past its retention, a batch per transaction, in one process at a time.
 * Resolves to the rows removed by kind, or null when another process was purging.
 */
export function purgeExpired(
  deps: PurgeDeps,
  retention: Retention,
): Promise<Record<string, number> | null> {
  return deps.lock.runAlone('purge', async () => {
    const now = deps.clock.now().getTime();
    const removed: Record<string, number> = {};
    for (const target of targets(deps, retention)) {
      const before = new Date(now - target.retentionMs);
      let total = 0;
      for (let batch = PURGE_BATCH; batch === PURGE_BATCH; total += batch)
        batch = await target.purge(before, PURGE_BATCH);
      removed[target.kind] = total;
    }
    return removed;
  });
}
