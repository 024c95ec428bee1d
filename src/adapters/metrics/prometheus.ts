import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';
import type { PurgeMetrics } from '../../application/maintenance/purger.ts';
import type { DispatchMetrics } from '../../application/notifications/dispatcher.ts';
import type { OutboxStats } from '../../application/ports/outbox-queue.ts';
import type { HttpMetrics } from '../http/observability.ts';

const CLUSTER_METRICS = 'task-api:cluster-metrics';

/**
 * In a cluster worker, /metrics answers for the whole cluster: the worker asks the primary,
 * which collects every worker's registry (prom-client's AggregatorRegistry).
 */
function clusterMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', answer);
      reject(new Error('the cluster primary did not send metrics'));
    }, 5000);
    const answer = (message: { type?: string; id?: string; text?: string }) => {
      if (message?.type !== CLUSTER_METRICS || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', answer);
      resolve(message.text ?? '');
    };
    process.on('message', answer);
    process.send?.({ type: CLUSTER_METRICS, id });
  });
}

/** In the cluster primary: answers workers that ask for the cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', async (worker, message: { type?: string; id?: string }) => {
    if (message?.type !== CLUSTER_METRICS) return;
    const text = await aggregator.clusterMetrics().catch(() => '');
    worker.send({ type: CLUSTER_METRICS, id: message.id, text });
  });
}

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
        // Every worker reads the same table: the cluster's figure is any one of them.
        aggregator: 'max',
        async collect() {
          // A scrape during a database outage still answers; these keep their last value.
          const current = await stats().catch(() => null);
          if (current) this.set(read(current));
        },
      });
    gauge('outbox_pending_events', 'Events due and waiting to be delivered.', (s) => s.pending);
    gauge(
      'outbox_scheduled_events',
      'Reminders waiting for their time to go out.',
      (s) => s.scheduled,
    );
    gauge('outbox_dead_events', 'Events given up on after the last attempt.', (s) => s.dead);
    gauge('outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered due event.', (s) =>
      s.oldestPendingAt ? (Date.now() - s.oldestPendingAt.getTime()) / 1000 : 0,
    );
  }

  const delivered = new Counter({
    name: 'outbox_delivered_total',
    help: 'Completion events delivered to the notifier.',
    registers,
  });
  const failedAttempts = new Counter({
    name: 'outbox_failed_attempts_total',
    help: 'Delivery attempts that failed (and will be retried, or were the last).',
    registers,
  });
  const deadLettered = new Counter({
    name: 'outbox_dead_lettered_total',
    help: 'Completion events given up on after their last attempt.',
    registers,
  });
  const latency = new Histogram({
    name: 'outbox_delivery_latency_seconds',
    help: 'From the completion of a task to the delivery of its event.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  const notifications: DispatchMetrics = {
    delivered: (latencyMs) => {
      delivered.inc();
      latency.observe(latencyMs / 1000);
    },
    attemptFailed: () => failedAttempts.inc(),
    deadLettered: () => deadLettered.inc(),
  };

  const purged = new Counter({
    name: 'purged_rows_total',
    help: 'Rows the periodic purge removed, by kind (refresh_tokens, api_tokens, staff_sessions, delivered_events).',
    labelNames: ['kind'] as const,
    registers,
  });
  const purge: PurgeMetrics = { removed: (kind, rows) => purged.inc({ kind }, rows) };

  if (cluster.isWorker) {
    // Constructing one is what makes a worker answer the primary's requests for its metrics.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  const http: HttpMetrics = {
    recordRequest(labels, seconds) {
      const values = { ...labels, status: String(labels.status) };
      requests.inc(values);
      durations.observe(values, seconds);
    },
    recordThrottled: (policy) => throttled.inc({ policy }),
    async render() {
      const body = cluster.isWorker ? await clusterMetrics() : await registry.metrics();
      return { contentType: registry.contentType, body };
    },
  };
  return { registry, http, notifications, purge };
}
