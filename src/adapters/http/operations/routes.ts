import { withTimeout } from '../../../application/with-timeout.ts';
import { problem } from '../errors.ts';
import { featureApp } from '../feature-app.ts';
import type { HttpMetrics } from '../observability.ts';

const CHECK_TIMEOUT_MS = 2000;

/** The probes and metrics: called by orchestrators and scrapers, often by address. */
export const OPERATIONS_PATHS = new Set(['/healthz/', '/readyz/', '/metrics/']);

/** Resolves 'ok' or 'unavailable', never hangs: a dependency that does not answer is not ready. */
const outcome = (check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> =>
  withTimeout(check(), CHECK_TIMEOUT_MS).then(
    () => 'ok',
    () => 'unavailable',
  );

export interface OperationsOptions {
  metrics?: HttpMetrics;
  /** What /readyz checks: each name's check rejects when that dependency does not answer. */
  readiness?: Record<string, () => Promise<unknown>>;
}

/** Probes and metrics for operators and orchestrators; not part of the documented API. */
export function operationsRoutes(options: OperationsOptions) {
  const app = featureApp();
  // Alive: the process answers. Deliberately checks nothing else, so a database outage does not
  // get the process restarted.
  app.get('/healthz/', (c) => c.json({ status: 'ok' }));

  app.get('/readyz/', async (c) => {
    const entries = Object.entries(options.readiness ?? {});
    const results = await Promise.all(
      entries.map(async ([name, check]) => [name, await outcome(check)]),
    );
    const checks = Object.fromEntries(results);
    const failed = results.filter(([, result]) => result !== 'ok').map(([name]) => name);
    if (failed.length > 0)
      return problem(c, 503, `Not ready: ${failed.join(', ')} unavailable.`, {
        code: 'not_ready',
        extensions: { checks },
      });
    return c.json({ status: 'ready', checks });
  });

  const { metrics } = options;
  if (metrics)
    app.get('/metrics/', async (c) => {
      const { contentType, body } = await metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType });
    });
  return app;
}
