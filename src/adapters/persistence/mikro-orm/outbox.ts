import type { EntityManager } from '@mikro-orm/postgresql';
import type { Outbox } from '../../../application/ports/outbox.ts';
import { OutboxEntity } from './entities.ts';

/** The channel a commit that added events notifies; the outbox queue listens on it. */
export const OUTBOX_CHANNEL = 'task_outbox';

export function mikroOrmOutbox(em: () => EntityManager): Outbox {
  return {
    async add(event) {
      await em().insert(OutboxEntity, {
        ...event,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: event.completedAt,
        lastError: null,
        createdAt: event.completedAt,
        deliveredAt: null,
      });
      // Delivered when the transaction commits, and not at all if it rolls back.
      await em().execute('select pg_notify(?, ?)', [OUTBOX_CHANNEL, '']);
    },
  };
}
