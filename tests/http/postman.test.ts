import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { harness, type Json } from '../harness.ts';

/**
 * Replays the original service's Postman collection (a copy of ../shared/reference) against this service
 * over a real socket, as Postman would send it, with our tokens and ids in place of its own.
 */
interface PostmanRequest {
  method: string;
  header?: { key: string; value: string; disabled?: boolean }[];
  body?: { raw?: string };
  url?: { raw: string; query?: { key: string; value: string; disabled?: boolean }[] };
}
interface PostmanItem {
  name: string;
  request: PostmanRequest;
  response: { code: number; body?: string }[];
}

const collection = JSON.parse(
  readFileSync(new URL('../fixtures/original.postman_collection.json', import.meta.url), 'utf8'),
) as { item: PostmanItem[] };

// The order a client runs them in: it must exist before it can log in, create before update.
const FLOW = [
  'Register User',
  'Get User Token',
  'CREATE Task',
  'Get Tasks',
  'Update Task',
  'Delete Task',
];

let origin: string;
let close: () => void;
beforeAll(async () => {
  const h = await harness();
  const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

it('has every request of the flow, each with a URL (one item of the collection has none)', () => {
  const sendable = collection.item.filter((item) => item.request.url).map((item) => item.name);
  expect([...new Set(sendable)].sort()).toEqual([...FLOW].sort());
});

it('keeps every request of the original clients working', async () => {
  let token = '';
  let userId = 0;
  let taskId = 0;
  for (const name of FLOW) {
    const item = collection.item.find((i) => i.name === name && i.request.url) as PostmanItem;
    const { request } = item;
    const url = new URL(
      (request.url as { raw: string }).raw.replace('/api/tasks/1/', `/api/tasks/${taskId}/`),
    );
    for (const q of request.url?.query ?? []) if (!q.disabled) url.searchParams.set(q.key, q.value);
    const headers = new Headers();
    for (const h of request.header ?? [])
      if (!h.disabled)
        headers.set(h.key, h.value.replace(/^Token [0-9a-f]{40}$/, `Token ${token}`));
    let body: string | undefined = request.body?.raw || undefined;
    if (body) {
      headers.set('Content-Type', 'application/json');
      const json = JSON.parse(body);
      if ('assigned_to' in json) json.assigned_to = userId;
      body = JSON.stringify(json);
    }
    const response = await fetch(`${origin}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body,
    });
    const saved = item.response[0] as { code: number; body?: string };
    expect(response.status, name).toBe(saved.code);
    if (response.status === 204) continue;
    const received: Json = await response.json();
    const original = JSON.parse(saved.body as string);
    // Every field the original answered with is still there, with the same type.
    const sample = Array.isArray(original) ? original[0] : original;
    const actual = Array.isArray(received) ? received[0] : received;
    for (const [field, value] of Object.entries(sample))
      expect(typeof actual[field], `${name}: ${field}`).toBe(typeof value);
    if (name === 'Register User') userId = received.id;
    if (name === 'Get User Token') token = received.token;
    if (name === 'CREATE Task') taskId = received.id;
  }
});
