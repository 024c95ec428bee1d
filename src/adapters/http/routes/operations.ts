import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { problem } from '../errors.ts';
import type { HttpMetrics } from '../observability.ts';

const CHECK_TIMEOUT_MS = 2000;

/** Resolves 'ok' or 'unavailable', never hangs: a dependency that does not answer is not ready. */
async function outcome(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

/** Probes and metrics for operators and orchestrators; not part of the documented API. */
export function registerOperationsRoutes(
  app: OpenAPIHono<AppEnv>,
  options: { metrics?: HttpMetrics; readiness?: Record<string, () => Promise<unknown>> },
): void {
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
}
