// Security review finding 4: the next-page `Link` was built from the `Host` header and always
// `http://`: `Host: evil.example` got a link to evil.example, and behind a TLS proxy a client
// following the link sent its token over plain HTTP. Now the link's origin is PUBLIC_URL, or the
// request's as trusted proxies forward it (X-Forwarded-Proto/-Host only through
// TRUST_PROXY_HOPS), and with ALLOWED_HOSTS a request for any other host is refused.
import { describe, expect, it } from 'vitest';
import { type HarnessOptions, harness } from '../harness.ts';

/** A harness with two tasks, so that a page of one announces the next. */
async function withPages(options: HarnessOptions) {
  const h = await harness(options);
  const ada = await h.signUp();
  for (const title of ['one', 'two'])
    await h.request('POST', '/api/tasks/', { token: ada.token, json: { title } });
  const page = (headers: Record<string, string>) =>
    h.request('GET', '/api/tasks/?limit=1', { token: ada.token, headers });
  const linkOf = async (headers: Record<string, string>) => {
    const response = await page(headers);
    expect(response.status).toBe(200);
    return /<([^>]+)>/.exec(response.headers.get('Link') ?? '')?.[1] ?? '';
  };
  return { h, page, linkOf };
}

describe('the next-page link', () => {
  it('comes from PUBLIC_URL, whatever Host or forwarded headers say', async () => {
    const { linkOf } = await withPages({ publicUrl: 'https://api.example', trustProxyHops: 1 });
    for (const headers of [
      { Host: 'evil.example' } as Record<string, string>,
      { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' },
    ])
      expect(await linkOf(headers)).toMatch(
        /^https:\/\/api\.example\/api\/tasks\/\?limit=1&cursor=/,
      );
  });

  it('takes the scheme and host a trusted proxy forwards, and only from one', async () => {
    const behindProxy = await withPages({ trustProxyHops: 1 });
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example' };
    expect(await behindProxy.linkOf(forwarded)).toMatch(/^https:\/\/api\.example\/api\/tasks\//);
    // What the client wrote itself sits left of what the proxy appended, and is not read.
    expect(
      await behindProxy.linkOf({
        'X-Forwarded-Proto': 'http, https',
        'X-Forwarded-Host': 'evil.example, api.example',
      }),
    ).toMatch(/^https:\/\/api\.example\//);
    // A forwarded host that is no host cannot write into the header.
    expect(
      await behindProxy.linkOf({ 'X-Forwarded-Host': 'evil.example>; rel="next", <http://x' }),
    ).toMatch(/^http:\/\/localhost\/api\/tasks\//);

    const direct = await withPages({});
    expect(await direct.linkOf(forwarded)).toMatch(/^http:\/\/localhost\/api\/tasks\//);
  });
});

describe('ALLOWED_HOSTS', () => {
  it('refuses a request for a host not listed, as Django does', async () => {
    // The harness signs its users up on localhost.
    const { h, page } = await withPages({
      allowedHosts: ['api.example', '.tasks.example', 'localhost'],
    });
    for (const host of ['api.example', 'API.example:8443', 'tasks.example', 'eu.tasks.example'])
      expect((await page({ Host: host })).status, host).toBe(200);
    for (const host of ['evil.example', 'api.example.evil', 'xtasks.example', 'localhost.evil']) {
      const refused = await page({ Host: host });
      expect(refused.status, host).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'disallowed_host' });
    }
    // Registration and log-in too: nothing is answered for another host.
    const register = await h.request('POST', '/register/', {
      headers: { Host: 'evil.example' },
      json: { username: 'eve', password: 'correct horse battery' },
    });
    expect(register.status).toBe(400);
    // Orchestrators probe by address.
    expect(
      (await h.request('GET', '/healthz', { headers: { Host: '10.1.2.3:8000' } })).status,
    ).toBe(200);
  });

  it('checks the host a trusted proxy forwards, not the proxy’s own', async () => {
    const { page } = await withPages({
      allowedHosts: ['api.example', 'localhost'],
      trustProxyHops: 1,
    });
    expect((await page({ Host: 'api.example', 'X-Forwarded-Host': 'evil.example' })).status).toBe(
      400,
    );
    expect((await page({ Host: '10.0.0.2', 'X-Forwarded-Host': 'api.example' })).status).toBe(200);
  });
});
