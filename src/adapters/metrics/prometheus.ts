import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxStats } from '../../application/ports/outbox-queue.ts';
import type { HttpMetrics } from '../http/observability.ts';

/** Prometheus metrics of one process: HTTP, throttling, the outbox, and Node's own. */
export function prometheusMetrics(options: { outboxStats?: () => Promise<OutboxStats> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const throttled = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests refused with 429, by throttling policy.',
    labelNames: ['policy'] as const,
    registers,
  });

  if (options.outboxStats) {
    const stats = options.outboxStats;
    // Read when scraped, so the figures are current and idle processes cost nothing.
    const gauge = (name: string, help: string, read: (s: OutboxStats) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          // A scrape during a database outage still answers; these keep their last value.
          const current = await stats().catch(() => null);
          if (current) this.set(read(current));
        },
      });
    gauge('outbox_pending_events', 'Completion events waiting to be delivered.', (s) => s.pending);
    gauge(
      'outbox_dead_events',
      'Completion events given up on after the last attempt.',
      (s) => s.dead,
    );
    gauge('outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered event.', (s) =>
      s.oldestPendingAt ? (Date.now() - s.oldestPendingAt.getTime()) / 1000 : 0,
    );
  }

  const http: HttpMetrics = {
    recordRequest(labels, seconds) {
      const values = { ...labels, status: String(labels.status) };
      requests.inc(values);
      durations.observe(values, seconds);
    },
    recordThrottled: (policy) => throttled.inc({ policy }),
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
  return { registry, http };
}
