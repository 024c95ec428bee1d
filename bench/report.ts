import type { Result } from 'autocannon';
import type { WriteCheck } from './fixtures.ts';

export interface Row {
  key: string;
  label: string;
  connections: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  peakRssMb: number;
  /** CPU time the measured processes spent per request: steadier than req/s on a busy machine. */
  cpuMicrosPerRequest: number;
  /** Requests per second as a fraction of the bare Hono figure of the same run. */
  ofHello: number;
  /** How long after the load stopped what it set going had finished (a step with `settle`). */
  settledMs?: number;
}

export function toRow(
  step: { key: string; label: string; connections: number },
  result: Result,
  measured: { peakRssBytes: number; cpuMicros: number; settledMs?: number },
  helloRate: number,
): Row {
  return {
    ...step,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    peakRssMb: measured.peakRssBytes / 2 ** 20,
    cpuMicrosPerRequest: result.requests.total ? measured.cpuMicros / result.requests.total : 0,
    ofHello: result.requests.average / helloRate,
    settledMs: measured.settledMs,
  };
}

const integer = (n: number) => Math.round(n).toLocaleString('en');
const percent = (n: number) => `${(n * 100).toFixed(1)}%`;

/** A Markdown table, ready for the README. */
export function table(rows: Row[]): string {
  const line = (cells: unknown[]) => `| ${cells.join(' | ')} |`;
  return [
    line([
      'step',
      'conns',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'non-2xx',
      'errors',
      'peak RSS MB',
      'CPU µs/req',
      'of Hono',
    ]),
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map((row) =>
      line([
        row.label,
        row.connections,
        integer(row.requestsPerSecond),
        row.latencyMs.p50,
        row.latencyMs.p99,
        row.latencyMs.max,
        row.non2xx,
        row.errors,
        integer(row.peakRssMb),
        integer(row.cpuMicrosPerRequest),
        percent(row.ofHello),
      ]),
    ),
  ].join('\n');
}

export interface Target {
  name: string;
  met: boolean;
  measured: string;
}

/** The targets (issue 20's CPU budgets, and the earlier ones still in force), judged on one run. */
export function targets(rows: Row[], writes: WriteCheck, endRssMb: number): Target[] {
  const by = (key: string) => rows.find((row) => row.key === key);
  const list: Target[] = [];
  const budget = (key: string, label: string, micros: number) => {
    const row = by(key);
    if (row)
      list.push({
        name: `${label} ≤ ${integer(micros)} µs of service CPU per request`,
        met: row.cpuMicrosPerRequest <= micros,
        measured: `${integer(row.cpuMicrosPerRequest)} µs (${integer(row.requestsPerSecond)} req/s, p99 ${row.latencyMs.p99} ms)`,
      });
  };
  budget('task', 'GET /api/tasks/{id}/', 200);
  budget('page', 'page of 50', 450);
  budget('create', 'POST /api/tasks/', 400);
  budget('complete', 'completing PATCH, its delivery included', 800);
  const task = by('task');
  const apiToken = by('apitoken');
  if (task && apiToken) {
    const more = apiToken.cpuMicrosPerRequest / task.cpuMicrosPerRequest - 1;
    list.push({
      name: 'task by id with an API token ≤ 15% more service CPU per request than with a JWT',
      met: more <= 0.15,
      measured: `${integer(apiToken.cpuMicrosPerRequest)} µs against ${integer(task.cpuMicrosPerRequest)} µs (${more >= 0 ? '+' : ''}${percent(more)})`,
    });
  }
  const create = by('create');
  const complete = by('complete');
  if (create && complete)
    list.push({
      name: "completing PATCH's p99 < POST's p99 × 1.5",
      met: complete.latencyMs.p99 < create.latencyMs.p99 * 1.5,
      measured: `${complete.latencyMs.p99} ms against ${create.latencyMs.p99} ms × 1.5 = ${create.latencyMs.p99 * 1.5} ms`,
    });
  const page = by('page');
  const deep = by('deep');
  if (page && deep)
    list.push({
      name: 'deep page within 20% of the first page',
      met: deep.requestsPerSecond >= 0.8 * page.requestsPerSecond,
      measured: `${percent(deep.requestsPerSecond / page.requestsPerSecond)} of its req/s`,
    });
  const projects = by('projects');
  if (page && projects)
    list.push({
      name: "a member of 20 projects' page within 25% of the page of 50",
      met: projects.requestsPerSecond >= 0.75 * page.requestsPerSecond,
      measured: `${percent(projects.requestsPerSecond / page.requestsPerSecond)} of its req/s`,
    });
  if (create || complete)
    list.push({
      name: 'every answered write committed, every completion has exactly one event, delivered',
      met:
        writes.createdFound === writes.created &&
        writes.completedFound === writes.completed &&
        writes.events === writes.completed &&
        writes.eventsDelivered === writes.events,
      measured: describeWrites(writes),
    });
  list.push({
    name: 'service RSS < 250 MB at the end of the run',
    met: endRssMb < 250,
    measured: `${integer(endRssMb)} MB`,
  });
  return list;
}

export function describeWrites(w: WriteCheck): string {
  return (
    `POST: ${integer(w.created)} answered 201, ${integer(w.createdFound)} of them in the table ` +
    `(${integer(w.tasksAdded)} rows added in all); PATCH: ${integer(w.completed)} answered 200, ` +
    `${integer(w.completedFound)} completed, ${integer(w.events)} outbox events ` +
    `(${integer(w.eventsDelivered)} delivered)`
  );
}
