/** In the order an `Allow` header lists them. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

interface Route {
  method: string;
  path: string;
}

/**
 * The methods a path answers, for `405` and `OPTIONS` (with `Allow`, as DRF answers): read from
 * the app's own routes, once every route is registered. A path no route matches gets none. GET
 * routes answer HEAD too (Hono serves it), and every known path answers OPTIONS.
 */
export function routeMethods(app: { routes: Route[] }): (path: string) => string[] {
  let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
  return (path) => {
    table ??= methodsByPath(app.routes);
    const methods = new Set<string>();
    for (const route of table)
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    if (methods.size === 0) return [];
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return METHOD_ORDER.filter((method) => methods.has(method));
  };
}

function methodsByPath(routes: Route[]) {
  const byPath = new Map<string, Set<string>>();
  // Middleware is registered for ALL; only handlers name the methods a path serves.
  for (const { method, path } of routes)
    if (method !== 'ALL') byPath.set(path, (byPath.get(path) ?? new Set()).add(method));
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(
      `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}$`,
    ),
    methods,
  }));
}
