import { createClient } from 'redis';
import { describeServer, withoutCredentials } from '../connection-urls.ts';
import type { Logger } from '../logger.ts';

export const COMMAND_TIMEOUT_MS = 100;

/**
 * A client that never makes a request wait on Redis: commands fail at once while it is
 * disconnected (no offline queue) and after a short timeout when it hangs, so callers fall back.
 */
const newClient = (url: string) =>
  createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    // While Redis hangs, commands pile up waiting; past this many, new ones fail at once.
    commandsQueueMaxLength: 1000,
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });

export interface RedisConnection {
  client: ReturnType<typeof newClient>;
  close(): Promise<void>;
}

/** Connects in the background and keeps reconnecting, so the service starts without Redis. */
export function connectRedis(url: string, logger: Logger): RedisConnection {
  const client = newClient(url);
  let healthy = true;
  client.on('error', (error: Error) => {
    // Logged once per outage, not once per reconnection attempt.
    if (healthy)
      logger.warn(
        { err: withoutCredentials(error.message, url), redis: describeServer(url, 6379) },
        'redis unavailable: throttling per instance',
      );
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.info('redis is back: throttling shared again');
    healthy = true;
  });
  client.connect().catch(() => undefined);
  return {
    client,
    // Not a graceful QUIT: that waits for replies a dead or frozen Redis never sends, and an
    // unanswered throttle increment is worth nothing at shutdown.
    async close() {
      client.destroy();
    },
  };
}
