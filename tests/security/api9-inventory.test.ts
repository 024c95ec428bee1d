// OWASP API9:2023 Improper Inventory Management: the published OpenAPI document is the complete
// inventory of the API, and what it says about authentication is what the routes do.
import { expect, it } from 'vitest';
import { prometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { harness, type Json } from '../harness.ts';

/** Served on purpose outside the document: probes, metrics, the document and its viewer. */
const OPERATIONAL = [
  'GET /healthz/',
  'GET /readyz/',
  'GET /metrics/',
  'GET /api/schema/',
  'GET /api/docs/',
  'GET /api/docs/scalar.js/',
  'GET /api/docs/init.js/',
];

async function inventory() {
  const h = await harness({
    metrics: prometheusMetrics().http,
    readiness: { database: async () => 1 },
  });
  const doc = await (await h.request('GET', '/api/schema/')).json();
  const documented = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(
    ([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        secured: (operation.security ?? []).length > 0,
      })),
  );
  const all = [
    ...new Set(
      h.app.routes
        .filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method} ${route.path}`),
    ),
  ];
  // The staff console is HTML for people, inventoried on its own below.
  const isConsole = (route: string) => route.split(' ')[1]?.startsWith('/admin/');
  return {
    h,
    documented,
    served: all.filter((r) => !isConsole(r)),
    pages: all.filter(isConsole),
  };
}

/** The console's pages anyone may load: the sign-in form, its POST, and the style sheet. */
const CONSOLE_PUBLIC = ['GET /admin/login/', 'POST /admin/login/', 'GET /admin/console.css/'];

it('serves nothing undocumented but the operational routes, and documents nothing it does not serve', async () => {
  const { documented, served } = await inventory();
  const routes = documented.map((operation) => operation.route);
  expect(served.filter((route) => !routes.includes(route)).sort()).toEqual([...OPERATIONAL].sort());
  expect(routes.filter((route) => !served.includes(route))).toEqual([]);
});

it('refuses an anonymous call to exactly the operations documented as secured', async () => {
  const { h, documented } = await inventory();
  for (const { route, secured } of documented) {
    const [method, path] = route.split(' ') as [string, string];
    const response = await h.request(method, path.replace(':id', '1'), {
      ...(method !== 'GET' && method !== 'DELETE' && { json: {} }),
    });
    expect(response.status === 401, route).toBe(secured);
  }
});

it('sends a caller without a console session to the sign-in page from every other console route', async () => {
  const { h, pages } = await inventory();
  expect(pages.length).toBeGreaterThan(CONSOLE_PUBLIC.length);
  for (const route of pages.filter((each) => !CONSOLE_PUBLIC.includes(each))) {
    const [method, path] = route.split(' ') as [string, string];
    const response = await h.request(method, path.replace(/:\w+/g, '1').replace('*', 'x/'), {
      headers: { Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status, route).toBe(303);
    expect(response.headers.get('Location'), route).toMatch(/^\/admin\/login\//);
  }
});
