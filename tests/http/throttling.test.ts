import { describe, expect, it } from 'vitest';
import { harness, PASSWORD } from '../harness.ts';

const perMinute = (points: number) => ({ points, durationSeconds: 60 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('per-user throttling', () => {
  it('counts down in RateLimit headers, then answers 429 with Retry-After', async () => {
    const h = await harness({ rates: { user: perMinute(3) } });
    const ada = await h.signUp();
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const response = await h.request('GET', '/api/me/', { token: ada.token });
      seen.push([
        response.status,
        response.headers.get('RateLimit-Policy'),
        response.headers.get('RateLimit'),
      ]);
      if (response.status === 429) {
        expect(response.headers.get('Retry-After')).toBe('60');
        expect(await response.json()).toMatchObject({
          status: 429,
          detail: 'Request was throttled. Expected available in 60 seconds.',
        });
      }
    }
    expect(seen).toEqual([
      [200, '"user";q=3;w=60', '"user";r=2;t=60'],
      [200, '"user";q=3;w=60', '"user";r=1;t=60'],
      [200, '"user";q=3;w=60', '"user";r=0;t=60'],
      [429, '"user";q=3;w=60', '"user";r=0;t=60'],
    ]);
  });

  it('gives each user their own budget across every /api/ endpoint', async () => {
    const h = await harness({ rates: { user: perMinute(2) } });
    const ada = await h.signUp();
    const bob = await h.signUp();
    expect((await h.request('GET', '/api/me/', { token: ada.token })).status).toBe(200);
    expect((await h.request('GET', '/api/tasks/', { token: ada.token })).status).toBe(200);
    expect(
      (await h.request('POST', '/api/tasks/', { token: ada.token, json: { title: 'x' } })).status,
    ).toBe(429);
    expect((await h.request('GET', '/api/users/', { token: bob.token })).status).toBe(200);
  });

  it('resets when the window ends', async () => {
    const h = await harness({ rates: { user: { points: 1, durationSeconds: 1 } } });
    const ada = await h.signUp();
    expect((await h.request('GET', '/api/me/', { token: ada.token })).status).toBe(200);
    expect((await h.request('GET', '/api/me/', { token: ada.token })).status).toBe(429);
    await sleep(1100);
    expect((await h.request('GET', '/api/me/', { token: ada.token })).status).toBe(200);
  });

  it('leaves the OpenAPI document and the docs page alone', async () => {
    const h = await harness({ rates: { user: perMinute(1), anonymous: perMinute(1) } });
    for (let i = 0; i < 3; i++) expect((await h.request('GET', '/api/schema/')).status).toBe(200);
  });
});

describe('per-client throttling of /register/ and /api/token*', () => {
  it('shares one budget per address across those endpoints', async () => {
    const h = await harness({ rates: { anonymous: perMinute(3) } });
    const from = (ip: string, path: string, json: object) => h.request('POST', path, { ip, json });
    const first = await from('10.0.0.1', '/register/', { username: 'ada', password: PASSWORD });
    expect(first.status).toBe(201);
    expect(first.headers.get('RateLimit')).toBe('"anon";r=2;t=60');
    const login = { username: 'ada', password: PASSWORD };
    expect((await from('10.0.0.1', '/api/token/', login)).status).toBe(200);
    expect((await from('10.0.0.1', '/api/token/refresh/', { refresh: 'x' })).status).toBe(401);
    const refused = await from('10.0.0.1', '/api/token/', login);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('60');
    expect((await from('10.0.0.2', '/api/token/', login)).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless proxies are trusted', async () => {
    const h = await harness({ rates: { anonymous: perMinute(1) } });
    const spoof = (xff: string) =>
      h.request('POST', '/api/token/revoke/', {
        json: { refresh: 'x' },
        headers: { 'X-Forwarded-For': xff },
      });
    expect((await spoof('1.1.1.1')).status).toBe(204);
    expect((await spoof('2.2.2.2')).status).toBe(429);
  });

  it('reads the client from trusted hops only; spoofed entries further left change nothing', async () => {
    const h = await harness({ rates: { anonymous: perMinute(1) }, trustProxyHops: 1 });
    const via = (xff: string) =>
      h.request('POST', '/api/token/revoke/', {
        ip: '192.168.0.9',
        json: { refresh: 'x' },
        headers: { 'X-Forwarded-For': xff },
      });
    expect((await via('10.0.0.5')).status).toBe(204);
    expect((await via('6.6.6.6, 10.0.0.5')).status).toBe(429);
    expect((await via('7.7.7.7,10.0.0.5')).status).toBe(429);
    expect((await via('10.0.0.6')).status).toBe(204);
  });
});

describe('login failures per username and client', () => {
  const login = (
    h: Awaited<ReturnType<typeof harness>>,
    username: string,
    password: string,
    ip = '10.0.0.1',
  ) => h.request('POST', '/api/token/', { ip, json: { username, password } });

  it('blocks the pair after the allowed failures, even with the right password', async () => {
    const h = await harness({ rates: { loginFailures: { points: 2, durationSeconds: 900 } } });
    const ada = await h.signUp();
    expect((await login(h, ada.username, 'wrong one')).status).toBe(400);
    expect((await login(h, ada.username.toUpperCase(), 'wrong two')).status).toBe(400);
    const blocked = await login(h, ada.username, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('Retry-After')).toBe('900');
    expect((await login(h, ada.username, PASSWORD, '10.0.0.2')).status).toBe(200);
  });

  it('forgets failures after a success', async () => {
    const h = await harness({ rates: { loginFailures: { points: 2, durationSeconds: 900 } } });
    const ada = await h.signUp();
    expect((await login(h, ada.username, 'wrong one')).status).toBe(400);
    expect((await login(h, ada.username, PASSWORD)).status).toBe(200);
    expect((await login(h, ada.username, 'wrong two')).status).toBe(400);
    expect((await login(h, ada.username, PASSWORD)).status).toBe(200);
  });

  it('counts unknown usernames the same way', async () => {
    const h = await harness({ rates: { loginFailures: { points: 1, durationSeconds: 900 } } });
    expect((await login(h, 'nobody', 'guess one')).status).toBe(400);
    expect((await login(h, 'nobody', 'guess two')).status).toBe(429);
  });
});
