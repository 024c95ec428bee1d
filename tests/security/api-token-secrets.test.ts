// OWASP API2:2023 and API3:2023 for personal API tokens: a token's secret leaves the service once,
// in the response that creates it, and never again: not in another response, not in a log line.
import { expect, it } from 'vitest';
import { makeApiToken } from '../api-tokens.ts';
import { harness, type TestResponse } from '../harness.ts';
import { capturedLogs } from './logs.ts';

async function everything(response: TestResponse): Promise<string> {
  return `${JSON.stringify([...response.headers])}\n${await response.text()}`;
}

it('shows a secret only in its creation, and never logs it, whatever it is used for', async () => {
  const logs = capturedLogs();
  const h = await harness({ logger: logs.logger });
  const ada = await h.signUp();
  const staff = await h.signUp({ staff: true });
  const { id, secret } = await makeApiToken(h, ada.token, { scopes: ['read', 'write'] });
  const readOnly = await makeApiToken(h, ada.token, { scopes: ['read'] });
  const random = secret.slice('tsk_'.length);

  const as = (token: string, scheme = 'Token') => ({
    headers: { Authorization: `${scheme} ${token}` },
  });
  const responses: TestResponse[] = [
    await h.request('GET', '/api/me/', as(secret)),
    await h.request('GET', '/api/me/', as(secret, 'Bearer')),
    await h.request('GET', '/api/tokens/', { token: ada.token }),
    await h.request('GET', '/api/tokens/', as(secret)),
    await h.request('POST', '/api/tokens/', {
      ...as(secret),
      json: { name: 'x', scopes: ['read'] },
    }),
    await h.request('POST', '/api/tasks/', { ...as(secret), json: { title: 'from a script' } }),
    await h.request('POST', '/api/tasks/', { ...as(readOnly.secret), json: { title: 'x' } }),
    await h.request('POST', '/api/tasks/', { ...as(secret), json: { title: 7 } }),
    await h.request('PATCH', `/api/users/${staff.id}/`, { ...as(secret), json: {} }),
    await h.request('POST', '/api/me/password/', {
      ...as(secret),
      json: { current_password: secret, new_password: secret },
    }),
    await h.request('GET', '/api/me/', as(`${secret} ${secret}`)),
    await h.request('GET', '/api/me/', as(`${secret}x`)),
    await h.request('GET', '/api/schema/'),
  ];
  await h.request('DELETE', `/api/tokens/${id}/`, { token: ada.token });
  responses.push(await h.request('GET', '/api/me/', as(secret)));
  // An unexpected failure is logged with its stack: the secret is in no part of it either.
  h.deps.apiTokens = {
    ...h.deps.apiTokens,
    byDigest: () => Promise.reject(new Error('storage exploded')),
  };
  h.clock.advance(60_000);
  responses.push(await h.request('GET', '/api/me/', as(readOnly.secret)));

  const statuses = responses.map((response) => response.status);
  expect(statuses).toEqual([
    200, 200, 200, 403, 403, 201, 403, 400, 403, 403, 401, 401, 200, 401, 500,
  ]);
  for (const response of responses) {
    const text = await everything(response);
    expect(text).not.toContain(random);
    expect(text).not.toContain(readOnly.secret.slice(4));
  }
  expect(logs.lines.length).toBeGreaterThan(responses.length);
  expect(logs.text()).not.toContain(random);
  expect(logs.text()).not.toContain(readOnly.secret.slice(4));
  expect(logs.text()).toContain('storage exploded');
  // What the log says instead: which token signed the request.
  expect(logs.lines).toContainEqual(
    expect.objectContaining({ route: '/api/me/', status: 200, userId: ada.id, apiTokenId: id }),
  );
});
