// A bench-only composition for bench/middleware.ts: the task read behind the first parts of the
// service's middleware stack (PARTS, comma-separated), reading through the repository's plain SQL
// or through MikroORM's hydration (READ=orm). Same settings as the service.
import { serve } from '@hono/node-server';
import { defineEntity, p } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate } from '../src/adapters/http/authenticate.ts';
import type { AppEnv } from '../src/adapters/http/env.ts';
import { observeRequests } from '../src/adapters/http/observability.ts';
import { requestId } from '../src/adapters/http/request-id.ts';
import { taskResource } from '../src/adapters/http/tasks/schemas.ts';
import { throttle } from '../src/adapters/http/throttle.ts';
import { joseTokenService } from '../src/adapters/jose-token-service.ts';
import { createLogger } from '../src/adapters/logger.ts';
import { prometheusMetrics } from '../src/adapters/metrics/prometheus.ts';
import { openMikroOrmPersistence } from '../src/adapters/persistence/mikro-orm/persistence.ts';
import { systemClock } from '../src/adapters/system-clock.ts';
import { redisRateLimiter } from '../src/adapters/throttling/rate-limiters.ts';
import { connectRedis } from '../src/adapters/throttling/redis-connection.ts';
import { accessTokenAuthenticator } from '../src/application/accounts/access-token-authenticator.ts';
import { loadConfig } from '../src/config.ts';
import { Task } from '../src/domain/task.ts';

const config = loadConfig();
const parts = new Set(process.env.PARTS?.split(',').filter(Boolean));
const hydrate = process.env.READ === 'orm';
const logger = createLogger(config.logLevel);
const persistence = await openMikroOrmPersistence(config.databaseUrl as string, { logger });
const staff = { id: 1, isStaff: true };

// What the repository's plain SQL is measured against: MikroORM's own mapping and hydration.
const TaskEntity = defineEntity({
  class: Task,
  tableName: 'tasks',
  properties: {
    id: p.integer().primary(),
    title: p.text(),
    description: p.text(),
    status: p.text().$type<Task['status']>(),
    assignedTo: p.integer().nullable(),
    createdBy: p.integer(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    completedAt: p.datetime().nullable(),
    version: p.integer(),
  },
});
const orm = hydrate
  ? await MikroORM.init({
      clientUrl: config.databaseUrl,
      entities: [TaskEntity],
      propagationOnPrototype: false,
      ensureDatabase: false,
    })
  : undefined;

const byId = (id: number): Promise<Task | null> =>
  orm ? orm.em.fork().findOne(TaskEntity, { id }) : persistence.tasks.byId(id);
const page = (): Promise<Task[]> =>
  orm
    ? orm.em.fork().find(TaskEntity, { status: 'pending' }, { orderBy: { id: 'asc' }, limit: 51 })
    : persistence.tasks.list({
        viewer: staff,
        status: 'pending',
        ordering: { field: 'id', descending: false },
        limit: 51,
      });

const app = new Hono<AppEnv>();
if (parts.has('request-id')) app.use(requestId);
if (parts.has('log')) app.use(observeRequests(logger, prometheusMetrics().http));
// The service's body limit lets GET through untouched, so it has no part here.
if (parts.has('headers')) app.use(secureHeaders());
const guards: MiddlewareHandler<AppEnv>[] = [];
if (parts.has('jwt'))
  guards.push(
    authenticate(
      accessTokenAuthenticator({
        tokens: joseTokenService({
          secret: config.jwtSecret as string,
          ttlSeconds: config.accessTokenTtlSeconds,
          clock: systemClock,
        }),
        users: persistence.users,
        clock: systemClock,
      }),
    ),
  );
if (parts.has('throttle'))
  guards.push(
    throttle(
      redisRateLimiter(
        'user',
        config.throttle.user,
        connectRedis(config.redisUrl as string, logger),
      ),
      (c) => `user:${c.get('actor').id}`,
    ),
  );

app.get('/healthz', (c) => c.text('ok'));
if (guards.length > 0) app.use('/api/*', ...guards);
app.get('/api/tasks/:id/', async (c) => {
  const task = await byId(Number(c.req.param('id')));
  return task ? c.json(taskResource(task)) : c.notFound();
});
app.get('/api/tasks/', async (c) => c.json((await page()).slice(0, 50).map(taskResource)));

serve({ fetch: app.fetch, port: config.port });
// An orderly exit, so that `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => process.exit(0));
