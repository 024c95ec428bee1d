// docs/api.md stays true: the routes its table lists are exactly the OpenAPI document's.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { harness } from '../harness.ts';

const GUIDE = new URL('../../docs/api.md', import.meta.url);

/** The `METHOD /path/` of each row of the table under "## Routes". */
async function documentedRoutes(): Promise<string[]> {
  const text = await readFile(GUIDE, 'utf8');
  const section = text.split(/^## /m).find((part) => part.startsWith('Routes\n')) ?? '';
  return [...section.matchAll(/^\| `([A-Z]+ \/\S*)` \|/gm)].map((match) => match[1] as string);
}

it('lists in docs/api.md every route of the OpenAPI document, and no other', async () => {
  const h = await harness();
  const doc = await (await h.request('GET', '/api/schema/')).json();
  const published = Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

  const documented = await documentedRoutes();

  expect(documented.length).toBeGreaterThan(0);
  expect(new Set(documented).size).toBe(documented.length);
  expect([...documented].sort()).toEqual([...published].sort());
});
