import { beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, PASSWORD, type SignedUp, type TestResponse } from '../harness.ts';

let h: Harness;
let ada: SignedUp;
beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
});

describe('trailing slashes', () => {
  it('answers every path directly with and without the slash, POST included', async () => {
    const task = await (
      await h.request('POST', '/api/tasks', { token: ada.token, json: { title: 'no slash' } })
    ).json();
    const paths = [
      ['GET', '/api/tasks'],
      ['GET', `/api/tasks/${task.id}`],
      ['PATCH', `/api/tasks/${task.id}`],
      ['GET', '/api/me'],
      ['GET', '/api/users'],
      ['GET', '/api/schema'],
    ] as const;
    for (const [method, path] of paths)
      for (const variant of [path, `${path}/`]) {
        const response = await h.request(method, variant, {
          token: ada.token,
          ...(method === 'PATCH' && { json: { description: variant } }),
        });
        expect(response.status, `${method} ${variant}`).toBe(200);
      }
    for (const path of ['/register', '/api/token'])
      expect(
        (
          await h.request('POST', path, {
            json: { username: `${ada.username}x`, password: PASSWORD },
          })
        ).status,
      ).not.toBe(404);
    expect(
      (await h.request('POST', '/api/token/refresh', { json: { refresh: ada.refresh } })).status,
    ).toBe(200);
  });
});

describe('request bodies', () => {
  const post = async (body: string, headers: Record<string, string>) =>
    (await h.app.request('http://localhost/api/tasks/', {
      method: 'POST',
      body,
      headers: { Authorization: `Bearer ${ada.token}`, ...headers },
    })) as TestResponse;

  it('answers 415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])
      expect((await post('title=x', { 'Content-Type': type })).status).toBe(415);
    expect((await post('{"title":"x"}', {})).status).toBe(415);
  });

  it('accepts JSON media types with parameters', async () => {
    expect(
      (await post('{"title":"x"}', { 'Content-Type': 'application/json; charset=utf-8' })).status,
    ).toBe(201);
  });

  it('answers 400 for malformed JSON and for JSON that is not an object', async () => {
    for (const body of ['{"title":', '', 'nul', '{"title":"x"}}'])
      expect((await post(body, { 'Content-Type': 'application/json' })).status).toBe(400);
    for (const body of ['[]', '"title"', '42', 'null']) {
      const response = await post(body, { 'Content-Type': 'application/json' });
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toHaveProperty('non_field_errors');
    }
  });

  it('answers 413 for a body over 64 KiB and creates nothing', async () => {
    const huge = JSON.stringify({ title: 'x', description: 'x'.repeat(70_000) });
    const response = await post(huge, { 'Content-Type': 'application/json' });
    expect(response.status).toBe(413);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(huge));
        controller.close();
      },
    });
    const streamed = await h.app.request('http://localhost/api/tasks/', {
      method: 'POST',
      body: chunked,
      headers: {
        Authorization: `Bearer ${ada.token}`,
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
      },
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // A declared length over the limit is refused before a byte of the body is read.
    const declared = await post(huge, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(huge)),
    });
    expect(declared.status).toBe(413);
    const list = await h.request('GET', '/api/tasks/', { token: ada.token });
    expect(await list.json()).toEqual([]);
  });
});

describe('headers on every response', () => {
  it('echoes a well-formed X-Request-Id and replaces anything else', async () => {
    const echo = await h.request('GET', '/api/me/', {
      token: ada.token,
      headers: { 'X-Request-Id': 'abc-123_x.y' },
    });
    expect(echo.headers.get('X-Request-Id')).toBe('abc-123_x.y');
    for (const bad of ['', 'has space', 'x'.repeat(129), 'semi;colon', 'ünïcode']) {
      const response = await h.request('GET', '/api/me/', {
        token: ada.token,
        headers: { 'X-Request-Id': bad },
      });
      expect(response.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('sets X-Request-Id and nosniff on errors, 304s and unknown routes too, and no X-Powered-By', async () => {
    const responses = [
      await h.request('GET', '/api/me/'),
      await h.request('GET', '/nowhere'),
      await h.request('GET', '/api/tasks/1/', { token: ada.token }),
      await h.request('POST', '/api/tasks/', { token: ada.token, json: [] }),
    ];
    for (const response of responses) {
      expect(response.headers.get('X-Request-Id')).toBeTruthy();
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(response.headers.get('X-Powered-By')).toBeNull();
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    }
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await h.request('GET', '/api/nothing/');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, detail: 'Not found.' });
  });
});

describe('CORS', () => {
  it('is off unless origins are configured', async () => {
    const response = await h.request('GET', '/api/me/', {
      token: ada.token,
      headers: { Origin: 'https://evil.example' },
    });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('allows only the configured origins', async () => {
    const withCors = await harness({ corsOrigins: ['https://app.example'] });
    const preflight = (origin: string) =>
      withCors.request('OPTIONS', '/api/tasks/', {
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://app.example');
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect(allowed.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/);
    expect(
      (await preflight('https://evil.example')).headers.get('Access-Control-Allow-Origin'),
    ).toBeNull();
  });
});

describe('hostile input', () => {
  const bodies: unknown[] = [
    {},
    { title: {} },
    { title: [] },
    { title: true },
    { title: 'x', assigned_to: '1' },
    { title: 'x', assigned_to: -1 },
    { title: 'x', assigned_to: Number.MAX_SAFE_INTEGER },
    { title: 'x', status: null },
    { title: 'x', description: 5 },
    { title: '\u0000' },
    { title: '😀'.repeat(100), description: '\u202e\ud83d' },
    JSON.parse('{"title": "x", "__proto__": {"admin": true}}'),
    { title: 'x', constructor: { prototype: {} } },
    { title: 'x', toString: 'x', hasOwnProperty: 1 },
  ];

  it('names client keys that shadow Object.prototype as unknown fields', async () => {
    const response = await h.request('POST', '/api/tasks/', {
      token: ada.token,
      json: JSON.parse('{"title": "x", "constructor": 1, "__proto__": {}}'),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual(
      JSON.parse('{"constructor": ["Unknown field."], "__proto__": ["Unknown field."]}'),
    );
  });

  it('never answers a write with a 5xx', async () => {
    const task = await (
      await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'target' } })
    ).json();
    for (const json of bodies)
      for (const [method, path] of [
        ['POST', '/api/tasks/'],
        ['PUT', `/api/tasks/${task.id}/`],
        ['PATCH', `/api/tasks/${task.id}/`],
        ['POST', '/register/'],
        ['POST', '/api/token/'],
        ['POST', '/api/token/refresh/'],
      ])
        expect(
          (await h.request(method as string, path as string, { token: ada.token, json })).status,
          `${method} ${path} ${JSON.stringify(json)}`,
        ).toBeLessThan(500);
  });

  it('never answers a query with a 5xx', async () => {
    for (const query of [
      'limit=1e309',
      'limit=NaN',
      'assigned_to=99999999999',
      'created_by=0',
      'search=%00%ff',
      'search[]=x',
      'ordering=',
      'cursor=..',
      'cursor=%E0%A4%A',
    ])
      expect(
        (await h.request('GET', `/api/tasks/?${query}`, { token: ada.token })).status,
        query,
      ).toBeLessThan(500);
  });
});
