import { expect, it } from 'vitest';
import { harness } from '../harness.ts';

it('publishes an OpenAPI 3.1 document of every route, in the documented slash form', async () => {
  const h = await harness();
  const response = await h.request('GET', '/api/schema/');
  expect(response.status).toBe(200);
  const doc = await response.json();
  expect(doc.openapi).toBe('3.1.0');
  const operations = Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(operations.sort()).toEqual(
    [
      'POST /register/',
      'POST /api/token/',
      'POST /api/token/refresh/',
      'POST /api/token/revoke/',
      'GET /api/me/',
      'GET /api/users/',
      'GET /api/tasks/',
      'POST /api/tasks/',
      'GET /api/tasks/{id}/',
      'PUT /api/tasks/{id}/',
      'PATCH /api/tasks/{id}/',
      'DELETE /api/tasks/{id}/',
      'GET /api/tasks/{id}/comments/',
      'POST /api/tasks/{id}/comments/',
      'GET /api/tasks/{id}/comments/{cid}/',
      'PATCH /api/tasks/{id}/comments/{cid}/',
      'DELETE /api/tasks/{id}/comments/{cid}/',
      'GET /api/tasks/{id}/history/',
      'POST /api/tokens/',
      'GET /api/tokens/',
      'DELETE /api/tokens/{id}/',
      'POST /api/me/password/',
      'PATCH /api/users/{id}/',
      'POST /api/users/{id}/password/',
    ].sort(),
  );
  expect(doc.components.securitySchemes).toMatchObject({
    bearerAuth: { type: 'http', scheme: 'bearer' },
    tokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization' },
  });
});

it('documents the scope each signed-in operation needs under both schemes', async () => {
  const h = await harness();
  const doc = await (await h.request('GET', '/api/schema/')).json();
  const needs = (path: string, method: string) => doc.paths[path][method].security;
  const either = (role: string) => [{ bearerAuth: [role] }, { tokenAuth: [role] }];
  expect(needs('/api/tasks/', 'get')).toEqual(either('read'));
  expect(needs('/api/tasks/', 'post')).toEqual(either('write'));
  expect(needs('/api/tasks/{id}/', 'delete')).toEqual(either('write'));
  expect(needs('/api/users/{id}/', 'patch')).toEqual(either('write'));
  for (const [path, method] of [
    ['/api/tokens/', 'get'],
    ['/api/tokens/', 'post'],
    ['/api/tokens/{id}/', 'delete'],
    ['/api/me/password/', 'post'],
    ['/api/users/{id}/password/', 'post'],
  ] as const)
    expect(needs(path, method)).toEqual(either('session'));
  expect(doc.paths['/api/token/'].post.security).toBeUndefined();
});

it('derives request and response schemas from the validating schemas', async () => {
  const h = await harness();
  const doc = await (await h.request('GET', '/api/schema/')).json();
  const { TaskWrite, Task, Problem } = doc.components.schemas;
  expect(TaskWrite.additionalProperties).toBe(false);
  expect(TaskWrite.required).toEqual(['title']);
  expect(TaskWrite.properties.title).toMatchObject({
    type: 'string',
    minLength: 1,
    maxLength: 255,
  });
  expect(TaskWrite.properties.status.enum).toEqual(['pending', 'completed']);
  expect(TaskWrite.properties.version.readOnly).toBe(true);
  expect(Task.required).toEqual(expect.arrayContaining(['id', 'title', 'version', 'completed_at']));
  expect(Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
  const list = doc.paths['/api/tasks/'].get;
  expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
    expect.arrayContaining([
      'status',
      'assigned_to',
      'created_by',
      'search',
      'ordering',
      'limit',
      'cursor',
    ]),
  );
  expect(list.security).toEqual([{ bearerAuth: ['read'] }, { tokenAuth: ['read'] }]);
});

it('serves an interactive documentation page, scripts and all, allowed only this origin', async () => {
  const h = await harness();
  const response = await h.request('GET', '/api/docs/');
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toMatch(/text\/html/);
  const policy = response.headers.get('Content-Security-Policy') ?? '';
  expect(policy).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self' 'sha256-/);
  expect(policy).not.toMatch(/https?:|\*|unsafe-eval/);
  const scripts = [...(await response.text()).matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  expect(scripts).toEqual(['/api/docs/scalar.js', '/api/docs/init.js']);

  const init = await h.request('GET', '/api/docs/init.js');
  expect(await init.text()).toContain('"url":"/api/schema/"');
  const bundle = await h.request('GET', '/api/docs/scalar.js', {
    headers: { 'Accept-Encoding': 'gzip' },
  });
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
  expect(bundle.headers.get('Content-Encoding')).toBe('gzip');
  const etag = bundle.headers.get('ETag') as string;
  const again = await h.request('GET', '/api/docs/scalar.js', {
    headers: { 'If-None-Match': etag },
  });
  expect(again.status).toBe(304);
});
