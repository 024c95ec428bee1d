import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { bcryptPasswordHasher } from './adapters/bcrypt-password-hasher.ts';
import { superviseWorkers } from './adapters/cluster.ts';
import { createHttpApp } from './adapters/http/app.ts';
import { joseTokenService } from './adapters/jose-token-service.ts';
import { localSecret } from './adapters/local-secret.ts';
import { createLogger, type Logger } from './adapters/logger.ts';
import { prometheusMetrics, serveClusterMetrics } from './adapters/metrics/prometheus.ts';
import { nodeSecrets } from './adapters/node-secrets.ts';
import { startNotificationDispatcher } from './adapters/notifications/notification-dispatcher.ts';
import {
  DatabaseStartError,
  migrateDatabase,
  openDatabase,
  startPostgres,
} from './adapters/persistence/database.ts';
import { systemClock } from './adapters/system-clock.ts';
import { memoryRateLimiter, redisRateLimiter } from './adapters/throttling/rate-limiters.ts';
import { connectRedis } from './adapters/throttling/redis-connection.ts';
import type { Ports } from './application/ports/index.ts';
import { type Config, ConfigError, loadConfig, type Rate } from './config.ts';

/** The composition root: reads the configuration, picks the adapters, serves. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, {
    pretty: !config.production && process.stdout.isTTY,
  });
  if (config.webConcurrency > 1 && cluster.isPrimary) await supervise(config, logger);
  else await serveApi(config, logger);
}

/**
 * WEB_CONCURRENCY > 1: this process owns what must exist once (the embedded PostgreSQL, the
 * migrations, the generated secret) and runs the API in that many workers.
 */
async function supervise(config: Config, logger: Logger): Promise<void> {
  const jwtSecret = config.jwtSecret ?? (await localSecret(join(config.dataDir, 'jwt-secret')));
  const server = await startPostgres(config, logger);
  const database = await openDatabase({ ...config, databaseUrl: server.url }, logger);
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
  const jwtSecret = config.jwtSecret ?? (await localSecret(join(config.dataDir, 'jwt-secret')));
  const database = await openDatabase(config, logger);
  // A cluster's primary has migrated already.
  if (cluster.isPrimary)
    await migrateDatabase(database, logger).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
  const { persistence } = database;

  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const limiter = (name: string, rate: Rate) =>
    redis ? redisRateLimiter(name, rate, redis) : memoryRateLimiter(name, rate);

  const clock = systemClock;
  const ports: Ports = {
    uow: persistence.uow,
    users: persistence.users,
    tasks: persistence.tasks,
    hasher: bcryptPasswordHasher(config.bcryptCost),
    tokens: joseTokenService({
      secret: jwtSecret,
      ttlSeconds: config.accessTokenTtlSeconds,
      clock,
    }),
    secrets: nodeSecrets,
    clock,
    loginFailures: limiter('login', config.throttle.loginFailures),
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
  };
  const metrics = prometheusMetrics({ outboxStats: () => persistence.queue.stats(clock.now()) });
  const app = createHttpApp({
    ports,
    logger,
    cursorSecret: jwtSecret,
    throttles: {
      user: limiter('user', config.throttle.user),
      anonymous: limiter('anon', config.throttle.anonymous),
    },
    trustProxyHops: config.trustProxyHops,
    corsOrigins: config.corsOrigins,
    metrics: metrics.http,
    readiness: {
      database: () => persistence.ping(),
      ...(redis && { redis: () => redis.client.ping() }),
    },
  });
  const dispatcher =
    config.outbox.dispatcher === 'in-process'
      ? startNotificationDispatcher({
          queue: persistence.queue,
          config,
          clock,
          logger,
          metrics: metrics.notifications,
        })
      : undefined;

  const server = serve({ fetch: app.fetch, port: config.port }, (address) =>
    logger.info({ port: address.port }, `listening on http://localhost:${address.port}`),
  ) as Server;
  server.once('error', async (error: NodeJS.ErrnoException) => {
    console.error(`Cannot listen on port ${config.port}: ${error.code ?? error.message}`);
    await dispatcher?.stop();
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
    await Promise.all([new Promise((resolve) => server.close(resolve)), dispatcher?.stop()]);
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

main().catch((error: unknown) => {
  // A bad setting or an unusable database is one clear line, not a stack trace.
  const expected = error instanceof ConfigError || error instanceof DatabaseStartError;
  console.error(expected ? error.message : error);
  process.exit(1);
});
