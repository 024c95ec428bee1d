import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { bcryptPasswordHasher } from './adapters/bcrypt-password-hasher.ts';
import { createHttpApp } from './adapters/http/app.ts';
import { joseTokenService } from './adapters/jose-token-service.ts';
import { localSecret } from './adapters/local-secret.ts';
import { createLogger } from './adapters/logger.ts';
import { nodeSecrets } from './adapters/node-secrets.ts';
import { InMemoryDatabase } from './adapters/persistence/in-memory/database.ts';
import { inMemoryTasks } from './adapters/persistence/in-memory/tasks.ts';
import { inMemoryUnitOfWork } from './adapters/persistence/in-memory/unit-of-work.ts';
import { inMemoryUsers } from './adapters/persistence/in-memory/users.ts';
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

  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const limiter = (name: string, rate: Rate) =>
    redis ? redisRateLimiter(name, rate, redis) : memoryRateLimiter(name, rate);

  const db = new InMemoryDatabase();
  logger.warn('storage is in memory: data is NOT persisted and is lost when the process stops');
  const clock = systemClock;
  const ports: Ports = {
    uow: inMemoryUnitOfWork(db),
    users: inMemoryUsers(db),
    tasks: inMemoryTasks(db),
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
  });

  const server = serve({ fetch: app.fetch, port: config.port }, (address) =>
    logger.info({ port: address.port }, `listening on http://localhost:${address.port}`),
  );
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(async () => {
      await redis?.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  // A bad setting is one clear line, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
