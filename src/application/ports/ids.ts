/** Fresh identifiers for what the service names itself: events, refresh-token families. */
export interface Ids {
  /** Unique across processes and time (a UUID). */
  next(): string;
}
