// What DRF clients relied on beyond the routes themselves: 405 with Allow for a method a known path
// does not serve, OPTIONS with Allow, and form bodies on registration and log-in.
import { describe, expect, it } from 'vitest';
import { harness, PASSWORD, type TestResponse } from '../harness.ts';

describe('methods', () => {
  it('answers a known path asked with another method 405 with Allow, in both slash forms', async () => {
    const h = await harness();
    const ada = await h.signUp();
    for (const [method, path, allow] of [
      ['DELETE', '/api/tasks/', 'GET, HEAD, POST, OPTIONS'],
      ['POST', '/api/tasks/7/', 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
      ['GET', '/api/token/', 'POST, OPTIONS'],
      ['PUT', '/api/me/', 'GET, HEAD, OPTIONS'],
    ] as const)
      for (const variant of [path, path.slice(0, -1)]) {
        const response = await h.request(method, variant, { token: ada.token });
        expect(response.status, `${method} ${variant}`).toBe(405);
        expect(response.headers.get('Allow')).toBe(allow);
        expect(await response.json()).toMatchObject({
          status: 405,
          detail: `Method "${method}" not allowed.`,
        });
      }
    expect((await h.request('DELETE', '/api/nowhere/')).status).toBe(404);
  });

  it('answers OPTIONS on a known path 204 with Allow, and an unknown path 404', async () => {
    const h = await harness();
    for (const path of ['/api/tasks/', '/api/tasks', '/register/']) {
      const response = await h.request('OPTIONS', path);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('Allow'), path).toMatch(/OPTIONS/);
    }
    expect((await h.request('OPTIONS', '/api/nowhere/')).status).toBe(404);
  });

  it('keeps answering CORS preflights when origins are configured, with Allow', async () => {
    const h = await harness({ corsOrigins: ['https://app.example'] });
    const response = await h.request('OPTIONS', '/api/tasks', {
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect(response.headers.get('Allow')).toBe('GET, HEAD, POST, OPTIONS');
  });
});

describe('form bodies', () => {
  const post = async (
    h: Awaited<ReturnType<typeof harness>>,
    path: string,
    body: string | FormData,
    type?: string,
  ) =>
    (await h.app.request(`http://localhost${path}`, {
      method: 'POST',
      body,
      ...(type && { headers: { 'Content-Type': type } }),
    })) as TestResponse;

  it('register and log in as DRF took them, url-encoded or multipart', async () => {
    const h = await harness();
    const form = `username=ada&password=${encodeURIComponent(PASSWORD)}&email=ada%40example.com`;
    const registered = await post(h, '/register/', form, 'application/x-www-form-urlencoded');
    expect(registered.status).toBe(201);
    expect(await registered.json()).toMatchObject({ username: 'ada', email: 'ada@example.com' });
    const multipart = new FormData();
    multipart.set('username', 'ada');
    multipart.set('password', PASSWORD);
    const token = await post(h, '/api/token/', multipart);
    expect(token.status).toBe(200);
    expect(token.headers.get('Cache-Control')).toBe('no-store');
    expect((await token.json()).token_type).toBe('Bearer');
  });

  it('validate a form as they validate JSON', async () => {
    const h = await harness();
    const form = 'application/x-www-form-urlencoded';
    const missing = await post(h, '/register/', 'username=ada', form);
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors.password).toEqual(['This field is required.']);
    // A field given twice is no single value.
    expect((await post(h, '/register/', 'username=a&username=b&password=x', form)).status).toBe(
      400,
    );
    expect(
      (await post(h, '/api/token/', 'username=ada&password=wrong+password', form)).status,
    ).toBe(400);
  });

  it('are refused elsewhere: task bodies are JSON only', async () => {
    const h = await harness();
    const ada = await h.signUp();
    const response = await h.app.request('http://localhost/api/tasks/', {
      method: 'POST',
      body: 'title=x',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Bearer ${ada.token}`,
      },
    });
    expect(response.status).toBe(415);
  });

  it('are documented in the OpenAPI document', async () => {
    const h = await harness();
    const doc = await (await h.request('GET', '/api/schema/')).json();
    for (const path of ['/register/', '/api/token/'])
      expect(Object.keys(doc.paths[path].post.requestBody.content)).toEqual([
        'application/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
      ]);
  });
});
