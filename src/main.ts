import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { superviseWorkers } from './adapters/cluster.ts';
import { createLogger, type Logger } from './adapters/logger.ts';
import { serveClusterMetrics } from './adapters/metrics/prometheus.ts';
import { stopWhenNpmExits } from './adapters/parent-process.ts';
import {
  connectDatabase,
  DatabaseStartError,
  migrateDatabase,
} from './adapters/persistence/database.ts';
import { composeApi, openDatabase, postgresServer, signingSecret } from './compose.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';

/** Starts the service the configuration describes (compose.ts picks its adapters) and serves. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, {
    pretty: !config.production && process.stdout.isTTY,
  });
  // Cluster workers stop with their primary, which node:cluster sees to.
  if (cluster.isPrimary) stopWhenNpmExits(logger);
  if (config.webConcurrency > 1 && cluster.isPrimary) await supervise(config, logger);
  else await serveApi(config, logger);
}

/**
 * WEB_CONCURRENCY > 1: this process owns what must exist once (the embedded PostgreSQL, the
 * migrations, the generated secret) and runs the API in that many workers.
 */
async function supervise(config: Config, logger: Logger): Promise<void> {
  const jwtSecret = await signingSecret(config);
  const server = await postgresServer(config, logger, 'own');
  // Closing this connection leaves the server running: it is the workers' until they stop.
  const database = await connectDatabase({ ...server, stop: async () => {} }, logger, 'PostgreSQL');
  await migrateDatabase(database, logger).finally(() => database.close());
  serveClusterMetrics();
  superviseWorkers({
    count: config.webConcurrency,
    env: { DATABASE_URL: server.url, JWT_SECRET: jwtSecret },
    logger,
    afterWorkers: () => server.stop(),
  });
}

/** One API process: the whole service, or one cluster worker of it. */
async function serveApi(config: Config, logger: Logger): Promise<void> {
  const jwtSecret = await signingSecret(config);
  const database = await openDatabase(config, logger, 'own');
  // A cluster's primary has migrated already.
  if (cluster.isPrimary)
    await migrateDatabase(database, logger).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
  const { app, dispatcher, purger, redis } = composeApi({ config, logger, database, jwtSecret });

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (bound) =>
    logger.info({ address: bound.address, port: bound.port }, `listening on ${urlOf(bound)}`),
  ) as Server;
  server.once('error', async (error: NodeJS.ErrnoException) => {
    console.error(
      `Cannot listen on ${config.host} port ${config.port}: ${error.code ?? error.message}`,
    );
    await Promise.all([dispatcher?.stop(), purger.stop()]);
    await database.close();
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the requests and sends under way');
    // Requests still running when the time is up are cut off rather than left to hang the stop.
    const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    await Promise.all([
      new Promise((resolve) => server.close(resolve)),
      dispatcher?.stop(),
      purger.stop(),
    ]);
    clearTimeout(deadline);
    await redis?.close();
    await database
      .close()
      .catch((error: Error) => logger.warn({ err: error.message }, 'closing the database failed'));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The address the socket is really bound to: 0.0.0.0 (every interface) unless HOST narrows it. */
const urlOf = ({ address, family, port }: AddressInfo) =>
  `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;

main().catch((error: unknown) => {
  // A bad setting or an unusable database is one clear line, not a stack trace.
  const expected = error instanceof ConfigError || error instanceof DatabaseStartError;
  console.error(expected ? error.message : error);
  process.exit(1);
});
