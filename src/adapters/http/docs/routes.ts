import { featureApp } from '../feature-app.ts';
import { scalarBundle } from './scalar-bundle.ts';

const SCRIPT = '/api/docs/scalar.js';
const INIT = '/api/docs/init.js';

/**
 * Scalar's settings. What would reach Scalar's own servers is off (its fonts, telemetry, the AI
 * agent and MCP), as are the developer tools it shows on localhost, which advertise its products.
 */
const INIT_SCRIPT = `Scalar.createApiReference('#app', ${JSON.stringify({
  url: '/api/schema/',
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
})});
`;

/**
 * The style sheets Scalar builds in the browser, as inline `<style>` elements: its own, its toasts'
 * and its theme's. They are the same on every load of one Scalar version, so their hashes allow
 * exactly them; tests/browser/api-docs.test.ts says which hashes a new version needs.
 */
export const SCALAR_STYLE_HASHES = [
  'sha256-QpRH++jfSE25E/ku5JwG+oucjRD32SqdyuYxGFVNDSA=',
  'sha256-l/2OpPg0d+2VLTLgwjf5mQo2CYwHDEqdj5TjbfEyVJI=',
  'sha256-T13Uev3xCax2N28XaoAE8DOzQZKvPp7ZQVAi1iRREjo=',
];

/**
 * Only this service's own origin, for everything; no inline script (Scalar's settings are a
 * script of their own, INIT) and no inline style sheet but Scalar's own, by hash. The one
 * exception is `style` attributes, which Scalar sets on elements (code blocks' line numbers, a
 * scrollbar-width probe): an attribute can style only its own element, and whatever a style would
 * load is still held to this origin by img-src and font-src. Blocked on purpose: zod's probe for
 * `Function` (it then validates without compiling), hence no 'unsafe-eval'.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${SCALAR_STYLE_HASHES.map((hash) => `'${hash}'`).join(' ')}`,
  "style-src-attr 'unsafe-inline'",
  // Scalar's style sheets draw a few icons as data: URLs, which load nothing from anywhere.
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Task API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${SCRIPT}"></script>
    <script src="${INIT}"></script>
  </body>
</html>
`;

/** The interactive documentation of /api/schema/, served entirely by this service. */
export function docsRoutes() {
  const app = featureApp();
  app.get('/api/docs/', (c) => {
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return c.html(PAGE);
  });

  app.get(`${INIT}/`, (c) =>
    c.body(INIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );

  app.get(`${SCRIPT}/`, async (c) => {
    const { script, gzipped, etag } = await scalarBundle();
    // Revalidated on every load, so an upgrade shows at once; unchanged, it costs a 304.
    c.header('Cache-Control', 'no-cache');
    c.header('ETag', etag);
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    if (!/\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) return c.body(script);
    c.header('Content-Encoding', 'gzip');
    return c.body(gzipped);
  });
  return app;
}
