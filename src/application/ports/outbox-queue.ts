import type { TaskEvent } from '../../domain/task-event.ts';

/**
 * `cancelled`: a reminder withdrawn after its delivery started, dead ones included (see
 * `Outbox.withdrawReminder`).
 */
export type OutboxState = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** An event and its delivery record. */
export interface OutboxEntry {
  event: TaskEvent;
  state: OutboxState;
  /** Delivery attempts started so far, the current one included once claimed. */
  attempts: number;
  /** When a pending event is next due; while claimed, when the claim lapses. */
  nextAttemptAt: Date;
  lastError: string | null;
  /**
   * When the event was first meant to go out: a completion when it was recorded, a reminder at
   * its `sendAt`. No claim sees a pending event before then.
   */
  createdAt: Date;
  deliveredAt: Date | null;
}

/** Where a page of events ends: the last one's creation instant and id, which breaks ties. */
export interface OutboxKey {
  createdAt: string;
  eventId: string;
}

export interface OutboxStats {
  /** Pending events whose time to go out has come: the backlog. */
  pending: number;
  /** Pending events held back until a later time: reminders not yet due. */
  scheduled: number;
  dead: number;
  /** When the longest-waiting event of the backlog was meant to go out. */
  oldestPendingAt: Date | null;
}

/**
 * The dispatcher's side of the outbox. Claims are exclusive across processes: a claimed event
 * is invisible to other claims until `leaseUntil`, so a dispatcher that dies mid-send leaves
 * the event to be retried, not lost, and two dispatchers never send one event at once.
 */
export interface OutboxQueue {
  /**
   * Up to `limit` pending events due at `now` (none before its time to go out), the one due
   * longest first (a fresh event is due when it is created, a retried one when its retry falls
   * due), each counted as an attempt.
   */
  claim(now: Date, limit: number, leaseUntil: Date): Promise<OutboxEntry[]>;
  /** One statement for the whole batch: the dispatcher marks what it delivered together. */
  markDelivered(eventIds: readonly string[], at: Date): Promise<void>;
  /** Back to pending, due again at `at`; an event cancelled meanwhile stays cancelled. */
  retryLater(eventId: string, at: Date, error: string): Promise<void>;
  /** Kept with its last error; never attempted again. A cancelled event stays cancelled. */
  markDead(eventId: string, error: string): Promise<void>;
  stats(now: Date): Promise<OutboxStats>;
  /**
   * Deletes at most `limit` events delivered before `before` (dead ones are kept for the
   * operator); returns how many it deleted.
   */
  purgeDelivered(before: Date, limit: number): Promise<number>;
  /** One page of the events in `state`, oldest first (by creation, then id), after `after`. */
  list(query: { state: OutboxState; after?: OutboxKey; limit: number }): Promise<OutboxEntry[]>;
  /**
   * A dead event back to pending, due at `at`, with no attempts counted and its last error kept;
   * false when no dead event has that id. Wakes the dispatchers as a new event does.
   */
  revive(eventId: string, at: Date): Promise<boolean>;
  /** Deletes a dead event; false when no dead event has that id. */
  discard(eventId: string): Promise<boolean>;
  /** Calls `listener` soon after a transaction that added events commits; returns unsubscribe. */
  onAdded(listener: () => void): () => void;
}
