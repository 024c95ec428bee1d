import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { prometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { harness, PASSWORD } from '../harness.ts';

describe('/healthz and /readyz', () => {
  it('says the process is alive without checking anything', async () => {
    const h = await harness({ readiness: { database: () => Promise.reject(new Error('down')) } });
    for (const path of ['/healthz', '/healthz/']) {
      const response = await h.request('GET', path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    }
  });

  it('is ready when every dependency answers', async () => {
    const h = await harness({
      readiness: { database: async () => 1, redis: async () => 'PONG' },
    });
    const response = await h.request('GET', '/readyz/');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', redis: 'ok' },
    });
  });

  it('answers 503 naming the dependency that failed or hung', async () => {
    const h = await harness({
      readiness: {
        database: () => Promise.reject(new Error('connection refused')),
        redis: () => new Promise(() => undefined),
      },
    });
    const response = await h.request('GET', '/readyz/');
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const body = await response.json();
    expect(body).toMatchObject({
      status: 503,
      detail: 'Not ready: database, redis unavailable.',
      checks: { database: 'unavailable', redis: 'unavailable' },
    });
    expect(JSON.stringify(body)).not.toContain('connection refused');
  });
});

describe('/metrics', () => {
  it('counts requests by route template and status, and throttle rejections', async () => {
    const { http } = prometheusMetrics();
    const h = await harness({ metrics: http, rates: { user: { points: 2, durationSeconds: 60 } } });
    const ada = await h.signUp();
    await h.request('GET', '/api/tasks/12/', { token: ada.token });
    await h.request('GET', '/api/tasks/13/', { token: ada.token });
    await h.request('GET', '/api/tasks/14/', { token: ada.token });
    await h.request('GET', '/no/such/thing');
    const response = await h.request('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain(
      'http_requests_total{method="GET",route="/api/tasks/:id/",status="404"} 2',
    );
    expect(text).toContain(
      'http_requests_total{method="GET",route="/api/tasks/:id/",status="429"} 1',
    );
    expect(text).toContain('http_requests_total{method="POST",route="/api/token/",status="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/tasks\/:id\/",status="404"\} \d/,
    );
    expect(text).toContain('rate_limit_rejections_total{policy="user"} 1');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).not.toContain('/api/tasks/12/');
  });

  it('reports the outbox backlog, dead letters and oldest age when scraped', async () => {
    const oldest = new Date(Date.now() - 30_000);
    const { http } = prometheusMetrics({
      outboxStats: async () => ({ pending: 3, scheduled: 2, dead: 1, oldestPendingAt: oldest }),
    });
    const text = (await http.render()).body;
    expect(text).toContain('outbox_pending_events 3');
    expect(text).toContain('outbox_dead_events 1');
    expect(text).toContain('outbox_scheduled_events 2');
    expect(
      Number(/^outbox_oldest_pending_age_seconds (\S+)$/m.exec(text)?.[1]),
    ).toBeGreaterThanOrEqual(30);
  });

  it('still answers while the outbox cannot be read', async () => {
    const { http } = prometheusMetrics({ outboxStats: () => Promise.reject(new Error('db down')) });
    expect((await http.render()).body).toContain('outbox_pending_events');
  });
});

describe('request logs', () => {
  it('writes one JSON line per request with id, method, route, status, duration and user, and no secrets', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const h = await harness({ logger: pino({ level: 'info' }, sink) });
    const ada = await h.signUp();
    lines.length = 0;
    await h.request('PATCH', '/api/tasks/99/', {
      token: ada.token,
      json: { title: 'secret title' },
      headers: { 'X-Request-Id': 'trace-1' },
    });
    await h.request('POST', '/api/token/', {
      json: { username: ada.username, password: PASSWORD },
    });
    await h.request('GET', '/healthz');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      requestId: 'trace-1',
      method: 'PATCH',
      route: '/api/tasks/:id/',
      status: 404,
      durationMs: expect.any(Number),
      userId: ada.id,
    });
    expect(lines[1]).toMatchObject({ route: '/api/token/', status: 200 });
    expect(lines[1]).not.toHaveProperty('userId');
    const text = JSON.stringify(lines);
    for (const secret of [PASSWORD, ada.token, 'secret title', ada.refresh])
      expect(text).not.toContain(secret);
  });
});
