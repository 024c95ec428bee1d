import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { bcryptPasswordHasher } from './adapters/bcrypt-password-hasher.ts';
import { createHttpApp } from './adapters/http/app.ts';
import { joseTokenService } from './adapters/jose-token-service.ts';
import { localSecret } from './adapters/local-secret.ts';
import { createLogger } from './adapters/logger.ts';
import { prometheusMetrics } from './adapters/metrics/prometheus.ts';
import { nodeSecrets } from './adapters/node-secrets.ts';
import {
  DatabaseStartError,
  migrateDatabase,
  openDatabase,
} from './adapters/persistence/database.ts';
import { systemClock } from './adapters/system-clock.ts';
import { memoryRateLimiter, redisRateLimiter } from './adapters/throttling/rate-limiters.ts';
import { connectRedis } from './adapters/throttling/redis-connection.ts';
import type { Ports } from './application/ports/index.ts';
import { ConfigError, loadConfig, type Rate } from './config.ts';

/** The composition root: reads the configuration, picks the adapters, serves. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const jwtSecret = config.jwtSecret ?? (await localSecret(join(config.dataDir, 'jwt-secret')));

  const database = await openDatabase(config, logger);
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

  const server = serve({ fetch: app.fetch, port: config.port }, (address) =>
    logger.info({ port: address.port }, `listening on http://localhost:${address.port}`),
  );
  server.once('error', async (error: NodeJS.ErrnoException) => {
    console.error(`Cannot listen on port ${config.port}: ${error.code ?? error.message}`);
    await database.close();
    process.exit(1);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(async () => {
      await redis?.close();
      await database
        .close()
        .catch((error: Error) =>
          logger.warn({ err: error.message }, 'closing the database failed'),
        );
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  // A bad setting or an unusable database is one clear line, not a stack trace.
  const expected = error instanceof ConfigError || error instanceof DatabaseStartError;
  console.error(expected ? error.message : error);
  process.exit(1);
});
