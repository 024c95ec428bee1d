// OWASP API8:2023 Security Misconfiguration: errors say nothing about the internals, every response
// carries the protective headers, tokens are never cached, and browsers get no CORS access unless
// an operator grants it to named origins.
import { describe, expect, it } from 'vitest';
import { type Harness, harness, PASSWORD, type TestResponse } from '../harness.ts';
import { capturedLogs } from './logs.ts';

const INTERNALS = /\bat \S+ \(|\.ts:\d+|node_modules|select |insert |relation "|stack|Error:/i;

const GENERIC_500 = {
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
  detail: 'The server could not complete the request.',
  code: 'server_error',
};

describe('unexpected errors', () => {
  it('answer a bare 500 problem, and log the request id to find the cause by', async () => {
    const logs = capturedLogs();
    const h = await harness({ logger: logs.logger });
    const ada = await h.signUp();
    const task = await (
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'x' } })
    ).json();
    // A copy: on PostgreSQL the repository object is shared by every harness of the file.
    h.deps.tasks = {
      ...h.deps.tasks,
      byIdWithRole: () =>
        Promise.reject(
          new Error('relation "tasks" does not exist: select * from "tasks" where "id" = $1'),
        ),
    };
    const response = await h.request('GET', `/api/tasks/${task.id}/`, {
      token: ada.token,
      headers: { 'X-Request-Id': 'find-me' },
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const body = await response.text();
    expect(JSON.parse(body)).toEqual(GENERIC_500);
    expect(body).not.toMatch(INTERNALS);
    const logged = logs.lines.find((line) => line.msg === 'unhandled error');
    expect(logged).toMatchObject({ requestId: 'find-me', method: 'GET' });
    expect(logs.text()).not.toContain(ada.token);
  });

  it('do not echo the input of a malformed request', async () => {
    const h = await harness();
    const ada = await h.signUp();
    const marker = '<script>alert(1)</script>';
    const malformed = await h.app.request('http://localhost/api/tasks/', {
      method: 'POST',
      body: `{"title": "${marker}"`,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ada.token}` },
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toContain('script');
    const unknownRoute = await h.request('GET', `/api/${encodeURIComponent(marker)}/`);
    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.text()).not.toContain('script');
  });
});

/** One response of each kind the service gives, each labelled with its status. */
async function everyKindOfResponse(h: Harness): Promise<[string, TestResponse][]> {
  const ada = await h.signUp();
  const bob = await h.signUp();
  const created = await h.request('POST', '/api/tasks/', {
    token: ada.token,
    json: { title: 'mine', assigned_to: bob.id },
  });
  const { id } = await (created.clone() as TestResponse).json();
  const path = `/api/tasks/${id}/`;
  const responses: [string, TestResponse][] = [
    ['201', created],
    ['200', await h.request('GET', path, { token: ada.token })],
    [
      '304',
      await h.request('GET', path, { token: ada.token, headers: { 'If-None-Match': '"1"' } }),
    ],
    ['400', await h.request('POST', '/api/tasks/', { token: ada.token, json: {} })],
    ['401', await h.request('GET', '/api/tasks/')],
    ['403', await h.request('DELETE', path, { token: bob.token })],
    ['404', await h.request('GET', '/nowhere')],
    ['412', await h.request('DELETE', path, { token: ada.token, headers: { 'If-Match': '"9"' } })],
    [
      '413',
      (await h.app.request('http://localhost/api/tasks/', {
        method: 'POST',
        body: `{"title": "${'x'.repeat(70_000)}"}`,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ada.token}` },
      })) as TestResponse,
    ],
    [
      '415',
      await h.request('POST', '/api/tasks/', {
        token: ada.token,
        headers: { 'Content-Type': 'text/plain' },
        json: { title: 'x' },
      }),
    ],
    ['204', await h.request('DELETE', path, { token: ada.token })],
  ];
  h.deps.tasks = { ...h.deps.tasks, list: () => Promise.reject(new Error('boom')) };
  responses.push(['500', await h.request('GET', '/api/tasks/', { token: ada.token })]);
  return responses;
}

describe('protective headers', () => {
  it('are on every response, errors and empty ones included', async () => {
    const h = await harness({ readiness: { database: () => Promise.reject(new Error('down')) } });
    const responses = await everyKindOfResponse(h);
    responses.push(['503', await h.request('GET', '/readyz')]);
    const throttled = await harness({ rates: { user: { points: 1, durationSeconds: 60 } } });
    const cat = await throttled.signUp();
    await throttled.request('GET', '/api/me/', { token: cat.token });
    responses.push(['429', await throttled.request('GET', '/api/me/', { token: cat.token })]);

    for (const [label, response] of responses) {
      expect(String(response.status), label).toBe(label);
      const headers = response.headers;
      expect(headers.get('X-Content-Type-Options'), label).toBe('nosniff');
      expect(headers.get('X-Frame-Options'), label).toBe('SAMEORIGIN');
      expect(headers.get('Referrer-Policy'), label).toBe('no-referrer');
      expect(headers.get('Strict-Transport-Security'), label).toMatch(/^max-age=\d{7,}/);
      expect(headers.get('X-Request-Id'), label).toBeTruthy();
      for (const name of ['X-Powered-By', 'Server', 'Access-Control-Allow-Origin'])
        expect(headers.get(name), `${label} ${name}`).toBeNull();
      if (response.status >= 400)
        expect(headers.get('Content-Type'), label).toBe('application/problem+json');
    }
  });
});

describe('token responses', () => {
  it('are never cached: successes, refusals and throttling alike', async () => {
    const h = await harness({ rates: { anonymous: { points: 6, durationSeconds: 60 } } });
    await h.request('POST', '/register/', { json: { username: 'ada', password: PASSWORD } });
    const { refresh } = await (
      await h.request('POST', '/api/token/', { json: { username: 'ada', password: PASSWORD } })
    ).json();
    const responses = [
      await h.request('POST', '/api/token/refresh/', { json: { refresh } }),
      await h.request('POST', '/api/token/', { json: { username: 'ada', password: 'wrong one' } }),
      await h.request('POST', '/api/token/refresh/', { json: { refresh } }),
      await h.request('POST', '/api/token/revoke/', { json: { refresh } }),
      await h.request('POST', '/api/token/', { json: { username: 'ada', password: PASSWORD } }),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 400, 401, 204, 429]);
    for (const response of responses) {
      expect(response.headers.get('Cache-Control'), String(response.status)).toBe('no-store');
      expect(response.headers.get('Pragma'), String(response.status)).toBe('no-cache');
    }
  });
});

describe('CORS', () => {
  const preflight = (h: Harness, origin: string) =>
    h.request('OPTIONS', '/api/tasks/', {
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'DELETE',
        'Access-Control-Request-Headers': 'authorization',
      },
    });

  const CORS_HEADERS = [
    'Access-Control-Allow-Origin',
    'Access-Control-Allow-Credentials',
    'Access-Control-Allow-Methods',
    'Access-Control-Allow-Headers',
  ];

  it('grants nothing to any origin when no origins are configured', async () => {
    const h = await harness();
    const ada = await h.signUp();
    for (const origin of ['https://evil.example', 'null', 'http://localhost:8000']) {
      const responses = [
        await preflight(h, origin),
        await h.request('GET', '/api/me/', { token: ada.token, headers: { Origin: origin } }),
      ];
      for (const response of responses)
        for (const header of CORS_HEADERS)
          expect(response.headers.get(header), `${origin} ${header}`).toBeNull();
    }
  });

  it('grants exactly the configured origins, never credentials and never a wildcard', async () => {
    const h = await harness({ corsOrigins: ['https://app.example'] });
    const allowed = await preflight(h, 'https://app.example');
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect(allowed.headers.get('Vary')).toMatch(/Origin/);
    expect(allowed.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    for (const origin of [
      'https://evil.example',
      'null',
      'https://app.example.evil.example',
      'https://evil-app.example',
      'http://app.example',
      'https://app.example:8443',
      'https://APP.example',
    ]) {
      const response = await preflight(h, origin);
      expect(response.headers.get('Access-Control-Allow-Origin'), origin).toBeNull();
      expect(response.headers.get('Access-Control-Allow-Credentials'), origin).toBeNull();
    }
  });
});
