import { describeServer, withoutCredentials } from '../connection-urls.ts';
import type { Logger } from '../logger.ts';
import {
  type EmbeddedUse,
  type PostgresServer,
  startEmbeddedPostgres,
} from './embedded-postgres.ts';
import { translateFailure } from './mikro-orm/failures.ts';
import { type MikroOrmPersistence, openMikroOrmPersistence } from './mikro-orm/persistence.ts';

/** Why the database could not be used at start, in one line fit for an operator. */
export class DatabaseStartError extends Error {
  override name = 'DatabaseStartError';
}

export interface Database {
  persistence: MikroOrmPersistence;
  /** Closes the pool, then stops PostgreSQL if this process started it. */
  close(): Promise<void>;
}

/** The driver's reason for a failed connection: socket errors and server messages, never SQL. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/** A PostgreSQL server someone else runs, at `url`. */
export const postgresAt = (url: string): PostgresServer => ({ url, stop: async () => {} });

/** The embedded PostgreSQL under `<dataDir>/postgres`, started or found running, as `use` says. */
export async function startEmbedded(
  dataDir: string,
  logger: Logger,
  use: EmbeddedUse,
): Promise<PostgresServer> {
  try {
    return await startEmbeddedPostgres({
      dataDir,
      use,
      onLog: (line) => logger.debug({ postgres: line }, 'embedded PostgreSQL'),
    });
  } catch (error) {
    throw new DatabaseStartError(reasonOf(error));
  }
}

/**
 * That server, connected and listening for outbox events; `label` says which it is in the log.
 * Closing the database stops the server too, if this process started it. Throws a
 * DatabaseStartError when it cannot connect.
 */
export async function connectDatabase(
  server: PostgresServer,
  logger: Logger,
  label: string,
): Promise<Database> {
  const where = describeServer(server.url);
  let persistence: MikroOrmPersistence;
  try {
    persistence = await openMikroOrmPersistence(server.url, { logger });
  } catch (error) {
    await server.stop();
    throw new DatabaseStartError(
      `Cannot connect to PostgreSQL at ${where}: ${withoutCredentials(reasonOf(error), server.url)}`,
    );
  }
  logger.info(`using ${label}, on ${where}`);
  return {
    persistence,
    async close() {
      try {
        await persistence.close();
      } finally {
        await server.stop();
      }
    },
  };
}

/** Applies pending migrations and says so in one log line. */
export async function migrateDatabase(database: Database, logger: Logger): Promise<void> {
  let applied: string[];
  try {
    applied = await database.persistence.migrate();
  } catch (error) {
    throw new DatabaseStartError(
      `Database migration failed: ${(translateFailure(error) as Error).message}`,
    );
  }
  logger.info(
    { migrations: applied },
    applied.length > 0
      ? `database migrated: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}`
      : 'database schema is up to date: no migration pending',
  );
}
