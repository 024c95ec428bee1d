// `npm run migrate`: applies pending migrations to DATABASE_URL's PostgreSQL, or to the embedded
// one under DATA_DIR, and exits. The service does the same at start; this is for deployments that
// migrate as a step of their own, before the new version starts.
import { createLogger } from '../src/adapters/logger.ts';
import { DatabaseStartError, migrateDatabase } from '../src/adapters/persistence/database.ts';
import { openDatabase } from '../src/compose.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger, 'share');
  try {
    await migrateDatabase(database, logger);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const expected = error instanceof ConfigError || error instanceof DatabaseStartError;
  console.error(expected ? error.message : error);
  process.exit(1);
});
