// `npm run dispatcher`: the notification dispatcher as a process of its own, delivering what the
// API writes to the PostgreSQL outbox. Any number may run beside the API's own dispatchers
// (claims are exclusive); set OUTBOX_DISPATCHER=off on the API to leave delivery to these.
// Without DATABASE_URL it attaches to the embedded PostgreSQL the API runs (npm start first).
import { createLogger } from '../src/adapters/logger.ts';
import { stopWhenNpmExits } from '../src/adapters/parent-process.ts';
import { DatabaseStartError } from '../src/adapters/persistence/database.ts';
import { systemClock } from '../src/adapters/system-clock.ts';
import { openDatabase, startNotificationDispatcher } from '../src/compose.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger, 'attach');
  const dispatcher = startNotificationDispatcher({
    queue: database.persistence.queue,
    config,
    clock: systemClock,
    logger,
  });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing the sends under way');
    await dispatcher.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  stopWhenNpmExits(logger);
}

main().catch((error: unknown) => {
  const expected = error instanceof ConfigError || error instanceof DatabaseStartError;
  console.error(expected ? error.message : error);
  process.exit(1);
});
