import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { AppEnv } from './env.ts';
import { OPERATIONS_PATHS } from './operations/routes.ts';

/** What the HTTP adapter reports about itself; the Prometheus adapter implements it. */
export interface HttpMetrics {
  recordRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  recordThrottled(policy: string): void;
  /** The exposition for /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * One log line and one measurement per request, labelled by route template (never the raw path,
 * which would give every task id its own time series). Bodies, headers and tokens never appear.
 */
export function observeRequests(logger: Logger, metrics?: HttpMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const template = routePath(c, -1);
    const route = template.startsWith('/*') || template === '*' ? 'unmatched' : template;
    const status = c.res.status;
    metrics?.recordRequest({ method: c.req.method, route, status }, seconds);
    // Probes every few seconds would drown the log; they stay visible at debug level.
    const level = OPERATIONS_PATHS.has(route) ? 'debug' : status >= 500 ? 'error' : 'info';
    logger[level](
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route,
        status,
        durationMs: Math.round(seconds * 100_000) / 100,
        userId: c.get('actor')?.id,
        apiTokenId: c.get('actor')?.apiToken?.id,
      },
      'request',
    );
  };
}
