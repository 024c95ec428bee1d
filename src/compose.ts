import { join } from 'node:path';
import type { Hono } from 'hono';
import { bcryptPasswordHasher } from './adapters/bcrypt-password-hasher.ts';
import { createHttpApp } from './adapters/http/app.ts';
import type { AppEnv } from './adapters/http/env.ts';
import { joseTokenService } from './adapters/jose-token-service.ts';
import { localSecret } from './adapters/local-secret.ts';
import type { Logger } from './adapters/logger.ts';
import { prometheusMetrics } from './adapters/metrics/prometheus.ts';
import { hmacDigest, nodeSecrets, randomIds } from './adapters/node-crypto.ts';
import { inProcessNotifier } from './adapters/notifications/in-process-notifier.ts';
import { createLambdaClient, lambdaNotifier } from './adapters/notifications/lambda-notifier.ts';
import {
  connectDatabase,
  type Database,
  postgresAt,
  startEmbedded,
} from './adapters/persistence/database.ts';
import type { EmbeddedUse, PostgresServer } from './adapters/persistence/embedded-postgres.ts';
import { systemClock } from './adapters/system-clock.ts';
import { memoryRateLimiter, redisRateLimiter } from './adapters/throttling/rate-limiters.ts';
import { connectRedis, type RedisConnection } from './adapters/throttling/redis-connection.ts';
import type { Deps } from './application/deps.ts';
import { type Purger, startPurger } from './application/maintenance/purger.ts';
import {
  type Dispatcher,
  type DispatchMetrics,
  startDispatcher,
} from './application/notifications/dispatcher.ts';
import type { Clock } from './application/ports/clock.ts';
import type { Notifier } from './application/ports/notifier.ts';
import type { OutboxQueue } from './application/ports/outbox-queue.ts';
import type { Rate } from './application/ports/rate-limiter.ts';
import type { Config } from './config.ts';

/*
 * The composition root: the one place that reads the configuration and picks the adapters.
 * main.ts and the scripts in scripts/ build what they run from here, wired by hand.
 */

/** The signing key: JWT_SECRET, or in development one generated once into DATA_DIR. */
export const signingSecret = (config: Pick<Config, 'jwtSecret' | 'dataDir'>) =>
  config.jwtSecret ?? localSecret(join(config.dataDir, 'jwt-secret'));

/**
 * The PostgreSQL of DATABASE_URL, or with none the embedded one under DATA_DIR/postgres, used as
 * `use` says: the API owns it, commands share it, the dispatcher attaches to the API's.
 */
export function postgresServer(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
  use: EmbeddedUse,
): Promise<PostgresServer> {
  return config.databaseUrl
    ? Promise.resolve(postgresAt(config.databaseUrl))
    : startEmbedded(config.dataDir, logger, use);
}

/** That PostgreSQL, connected; closing it stops the embedded server if this process started it. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
  use: EmbeddedUse,
): Promise<Database> {
  const server = await postgresServer(config, logger, use);
  const label = config.databaseUrl
    ? 'PostgreSQL'
    : `the embedded PostgreSQL in ${join(config.dataDir, 'postgres')}`;
  return connectDatabase(server, logger, label);
}

/** Where notifications go, for the start-up log line. */
export function notificationTarget(config: Pick<Config, 'notifier' | 'lambda'>): string {
  return config.notifier === 'lambda'
    ? `AWS Lambda function ${config.lambda.functionName}`
    : 'the notifier function in process';
}

/** The Lambda function, or its code run in this process and logging to `log` (NOTIFIER). */
export function chooseNotifier(config: Pick<Config, 'notifier' | 'lambda'>, log: Logger): Notifier {
  const { functionName, region } = config.lambda;
  if (config.notifier === 'in-process' || !functionName) return inProcessNotifier(log);
  return lambdaNotifier({ functionName, client: createLambdaClient(region ? { region } : {}) });
}

export interface NotificationDispatcherDeps {
  queue: OutboxQueue;
  config: Pick<Config, 'notifier' | 'lambda' | 'outbox'>;
  clock: Clock;
  logger: Logger;
  metrics?: DispatchMetrics;
  /** Replaces the notifier the configuration picks. */
  notifier?: Notifier;
}

/**
 * Starts the dispatcher the configuration describes. Whether to start one is the caller's call:
 * the API only when OUTBOX_DISPATCHER is in-process, `npm run dispatcher` always.
 */
export function startNotificationDispatcher(deps: NotificationDispatcherDeps): Dispatcher {
  const { queue, config, clock, metrics } = deps;
  const { maxAttempts, retryBaseMs, retryMaxMs, pollIntervalMs, concurrency, leaseMs } =
    config.outbox;
  const log = deps.logger.child({ component: 'notifications' });
  log.info(
    { maxAttempts, concurrency },
    `notification dispatcher started: delivering to ${notificationTarget(config)}`,
  );
  const notifier = deps.notifier ?? chooseNotifier(config, log);
  return startDispatcher(
    { queue, notifier, clock, log, metrics },
    {
      maxAttempts,
      retryBaseMs,
      retryMaxMs,
      pollIntervalMs,
      concurrency,
      leaseMs,
      // Half the lease, so a send that hangs is given up well before another claim can take it.
      sendTimeoutMs: leaseMs / 2,
    },
  );
}

export interface Api {
  app: Hono<AppEnv>;
  /** The in-process dispatcher, unless OUTBOX_DISPATCHER=off. */
  dispatcher: Dispatcher | undefined;
  /** Purges what is past its retention, hourly, in one instance at a time. */
  purger: Purger;
  redis: RedisConnection | undefined;
}

/** The whole API over an open database: every port, the HTTP app, and the dispatcher. */
export function composeApi(options: {
  config: Config;
  logger: Logger;
  database: Database;
  jwtSecret: string;
}): Api {
  const { config, logger, jwtSecret } = options;
  const { persistence } = options.database;
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  const limiter = (name: string, rate: Rate) =>
    redis ? redisRateLimiter(name, rate, redis) : memoryRateLimiter(name, rate);

  const clock = systemClock;
  const deps: Deps = {
    uow: persistence.uow,
    users: persistence.users,
    tasks: persistence.tasks,
    projects: persistence.projects,
    memberships: persistence.memberships,
    comments: persistence.comments,
    history: persistence.history,
    apiTokens: persistence.apiTokens,
    staffSessions: persistence.staffSessions,
    queue: persistence.queue,
    apiTokenDigest: hmacDigest(jwtSecret),
    hasher: bcryptPasswordHasher(config.bcryptCost, { queueTimeoutMs: config.hashQueueTimeoutMs }),
    tokens: joseTokenService({
      secret: jwtSecret,
      ttlSeconds: config.accessTokenTtlSeconds,
      clock,
    }),
    secrets: nodeSecrets,
    ids: randomIds,
    clock,
    loginFailures: limiter('login', config.throttle.loginFailures),
    settings: {
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      reminderLeadMs: config.reminderLeadMs,
      staffSessionTtlSeconds: config.adminSessionTtlSeconds,
    },
  };
  const metrics = prometheusMetrics({ outboxStats: () => persistence.queue.stats(clock.now()) });
  const app = createHttpApp({
    deps,
    logger,
    cursorSecret: jwtSecret,
    throttles: {
      user: limiter('user', config.throttle.user),
      anonymous: limiter('anon', config.throttle.anonymous),
    },
    trustProxyHops: config.trustProxyHops,
    corsOrigins: config.corsOrigins,
    publicUrl: config.publicUrl,
    allowedHosts: config.allowedHosts,
    secureCookies: config.production,
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
  const purger = startPurger(
    {
      uow: persistence.uow,
      queue: persistence.queue,
      apiTokens: persistence.apiTokens,
      clock,
      lock: persistence.lock,
      log: logger.child({ component: 'purge' }),
      metrics: metrics.purge,
    },
    config.retention,
  );
  return { app, dispatcher, purger, redis };
}
