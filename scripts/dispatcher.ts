// `npm run dispatcher`: the notification dispatcher as a process of its own, delivering what the
// API writes to the PostgreSQL outbox. Any number may run beside the API's own dispatchers
// (claims are exclusive); set OUTBOX_DISPATCHER=off on the API to leave delivery to these.
import { describeServer, withoutCredentials } from '../src/adapters/connection-urls.ts';
import { createLogger } from '../src/adapters/logger.ts';
import { openMikroOrmPersistence } from '../src/adapters/persistence/mikro-orm/persistence.ts';
import { systemClock } from '../src/adapters/system-clock.ts';
import { startNotificationDispatcher } from '../src/compose.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  // The embedded PostgreSQL belongs to the API process that started it; a dispatcher that
  // outlived it would lose its database, so a separate dispatcher needs a real server.
  if (!config.databaseUrl)
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL must be set: npm run dispatcher delivers from the PostgreSQL outbox the API writes.',
    );
  const logger = createLogger(config.logLevel);
  const persistence = await openMikroOrmPersistence(config.databaseUrl, { logger }).catch(
    (error: unknown) => {
      const url = config.databaseUrl as string;
      const reason = withoutCredentials((error as Error).message, url);
      console.error(`Cannot reach PostgreSQL at ${describeServer(url)}: ${reason}`);
      process.exit(1);
    },
  );
  const dispatcher = startNotificationDispatcher({
    queue: persistence.queue,
    config,
    clock: systemClock,
    logger,
  });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing the sends under way');
    await dispatcher.stop();
    await persistence.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
