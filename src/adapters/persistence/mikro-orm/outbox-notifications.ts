import type { Logger } from '../../logger.ts';

/** The part of a pooled `pg` client that LISTEN needs. */
export interface ListenClient {
  query(sql: string): Promise<unknown>;
  on(event: 'notification' | 'error' | 'end', listener: () => void): unknown;
  release(destroy?: boolean): void;
}

export interface ListenPool {
  connect(): Promise<ListenClient>;
}

export interface OutboxNotificationsOptions {
  pool: () => Promise<ListenPool>;
  channel: string;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Wait before the first reconnection attempt; it doubles up to 30 times as long. */
  retryMs?: number;
}

/**
 * LISTENs on a connection of its own for commits that added outbox events, and tells the
 * subscribers. A lost connection is reopened with backoff; once it is back, subscribers are told
 * once, since events may have been added while nobody was listening.
 */
export class OutboxNotifications {
  readonly #options: Required<OutboxNotificationsOptions>;
  readonly #subscribers = new Set<() => void>();
  #client: ListenClient | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: OutboxNotificationsOptions) {
    this.#options = { retryMs: 500, ...options };
  }

  /** Opens the listening connection; commits after this resolves are announced. */
  async start(): Promise<void> {
    const client = await (await this.#options.pool()).connect();
    const onLost = () => {
      if (this.#client !== client) return;
      this.#client = undefined;
      client.release(true);
      if (this.#closed) return;
      this.#options.logger.warn('lost the connection that listens for outbox events; reconnecting');
      this.#reconnect(this.#options.retryMs);
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', () => this.#announce());
    try {
      await client.query(`listen ${this.#options.channel}`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (this.#closed) client.release(true);
    else this.#client = client;
  }

  subscribe(listener: () => void): () => void {
    // A wrapper, so one listener subscribed twice is two subscriptions.
    const subscription = () => listener();
    this.#subscribers.add(subscription);
    return () => this.#subscribers.delete(subscription);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    client?.release(true);
  }

  #announce(): void {
    for (const subscriber of this.#subscribers) subscriber();
  }

  #reconnect(delayMs: number): void {
    this.#retry = setTimeout(async () => {
      try {
        await this.start();
      } catch {
        if (!this.#closed) this.#reconnect(Math.min(delayMs * 2, this.#options.retryMs * 30));
        return;
      }
      this.#options.logger.info('listening for outbox events again');
      this.#announce();
    }, delayMs);
    // Reconnecting alone must not keep the process alive.
    this.#retry.unref();
  }
}
