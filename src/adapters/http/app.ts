import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { getPath } from 'hono/utils/url';
import type { Logger } from 'pino';
import { authenticator } from '../../application/accounts/authenticator.ts';
import type { Deps } from '../../application/deps.ts';
import type { RateLimiter } from '../../application/ports/rate-limiter.ts';
import { consoleRoutes } from '../console/routes.tsx';
import { consoleCookies } from '../console/session.ts';
import { accountRoutes } from './accounts/routes.ts';
import { authenticate } from './authenticate.ts';
import { unicodeBodies } from './bodies.ts';
import { clientIp } from './client-ip.ts';
import { commentRoutes } from './comments/routes.ts';
import { cursorCodec } from './cursor.ts';
import { docsRoutes } from './docs/routes.ts';
import type { AppEnv } from './env.ts';
import { errorHandler, problem } from './errors.ts';
import type { RouteDeps } from './feature-app.ts';
import { routeMethods } from './methods.ts';
import { observeRequests } from './observability.ts';
import { SECURITY_SCHEMES, withScopes } from './openapi.ts';
import { OPERATIONS_PATHS, type OperationsOptions, operationsRoutes } from './operations/routes.ts';
import { allowedHosts, requestOrigin } from './origin.ts';
import { paging } from './paging.ts';
import { projectRoutes } from './projects/routes.ts';
import { requestId } from './request-id.ts';
import { taskRoutes } from './tasks/routes.ts';
import { throttle } from './throttle.ts';
import { apiTokenRoutes } from './tokens/routes.ts';
import { rejectInvalid } from './validation.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Routes are declared in the documented slash form; a request without the slash is routed as if
 * it had one, answered directly rather than redirected (a redirect would break POST clients).
 */
function withTrailingSlash(request: Request): string {
  const path = getPath(request);
  return path.endsWith('/') ? path : `${path}/`;
}

export interface HttpOptions extends OperationsOptions {
  /** The ports and settings the use cases run on. */
  deps: Deps;
  logger: Logger;
  /** Signs pagination cursors. */
  cursorSecret: string;
  /** Per signed-in user on every authenticated route; per client address on the others. */
  throttles: { user: RateLimiter; anonymous: RateLimiter };
  /** How many proxies in front of the service append to X-Forwarded-For. */
  trustProxyHops?: number;
  /** Origins allowed to call the API from a browser; none means CORS stays off. */
  corsOrigins?: string[];
  /** Scheme and host of absolute links (PUBLIC_URL); unset: the request's. */
  publicUrl?: string;
  /** Host names the service answers for (ALLOWED_HOSTS); none means any. */
  allowedHosts?: string[];
  /** Marks the console's cookies `Secure` (in production, which is served over HTTPS). */
  secureCookies?: boolean;
}

export function createHttpApp(options: HttpOptions): OpenAPIHono<AppEnv> {
  const { deps } = options;
  const app = new OpenAPIHono<AppEnv>({ getPath: withTrailingSlash, defaultHook: rejectInvalid });
  app.onError(errorHandler(options.logger));
  const methodsOf = routeMethods(app);
  // A known path asked with a method it does not serve: 405, or for OPTIONS 204, with `Allow`.
  app.notFound((c) => {
    const allow = methodsOf(withTrailingSlash(c.req.raw));
    if (allow.length === 0) return problem(c, 404, 'Not found.', { code: 'not_found' });
    const headers = { Allow: allow.join(', ') };
    if (c.req.method === 'OPTIONS') return c.body(null, 204, headers);
    return problem(c, 405, `Method "${c.req.method}" not allowed.`, {
      code: 'method_not_allowed',
      headers,
    });
  });

  app.use(requestId);
  app.use(observeRequests(options.logger, options.metrics));
  app.use(secureHeaders());
  const trustProxyHops = options.trustProxyHops ?? 0;
  if (options.allowedHosts?.length)
    app.use(
      allowedHosts(options.allowedHosts, trustProxyHops, (c) =>
        OPERATIONS_PATHS.has(withTrailingSlash(c.req.raw)),
      ),
    );
  if (options.corsOrigins?.length) {
    // The CORS middleware answers every OPTIONS itself; a known path's answer still says `Allow`.
    app.use(async (c, next) => {
      await next();
      const allow = c.req.method === 'OPTIONS' && methodsOf(withTrailingSlash(c.req.raw));
      if (allow && allow.length > 0) c.res.headers.set('Allow', allow.join(', '));
    });
    app.use(
      cors({
        origin: options.corsOrigins,
        allowHeaders: [
          'Authorization',
          'Content-Type',
          'If-Match',
          'If-None-Match',
          'X-Request-Id',
        ],
        exposeHeaders: [
          'ETag',
          'Link',
          'Location',
          'Retry-After',
          'RateLimit',
          'RateLimit-Policy',
          'X-Request-Id',
        ],
        maxAge: 600,
      }),
    );
  }
  const tooLarge = () => {
    throw new HTTPException(413, {
      message: `Request body is larger than ${BODY_LIMIT_BYTES} bytes.`,
    });
  };
  const limitBody = bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: tooLarge });
  // Asking for the body's stream, as `bodyLimit` does first, builds a whole web Request on Node,
  // about a fifth of a POST's CPU; a declared length, which Node's parser holds the body to, is
  // checked without it, and the body then read straight from the socket. GET and HEAD carry none.
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('Content-Length');
    if (length === undefined || c.req.header('Transfer-Encoding') !== undefined)
      return limitBody(c, async () => {
        await unicodeBodies(c, next);
      });
    if (Number(length) > BODY_LIMIT_BYTES) tooLarge();
    return unicodeBodies(c, next);
  });

  const client = (c: Context) => clientIp(c, trustProxyHops);
  const origin = requestOrigin({ publicUrl: options.publicUrl, trustProxyHops });
  const { user, anonymous } = options.throttles;
  const onRejected = (policy: string) => options.metrics?.recordThrottled(policy);
  const credentials = authenticator(deps);
  const routeDeps: RouteDeps = {
    deps,
    paging: paging(options.cursorSecret, origin),
    clientIp: client,
    authenticator: credentials,
    authenticated: [
      authenticate(credentials.authenticate),
      throttle(user, (c) => `user:${c.get('actor').id}`, onRejected),
    ],
    anonymous: [throttle(anonymous, client, onRejected)],
  };
  app.route('/', accountRoutes(routeDeps));
  app.route('/', taskRoutes(routeDeps));
  app.route('/', projectRoutes(routeDeps));
  app.route('/', commentRoutes(routeDeps));
  app.route('/', apiTokenRoutes(routeDeps));
  app.route('/', operationsRoutes(options));
  app.route(
    '/',
    consoleRoutes({
      deps,
      logger: options.logger,
      origin,
      cookies: consoleCookies(deps.secrets, { secure: options.secureCookies ?? false }),
      cursors: cursorCodec(options.cursorSecret),
      clientIp: client,
      anonymous: routeDeps.anonymous,
    }),
  );

  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES))
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Task API',
      version: '1.0.0',
      description: 'Accounts, tokens, tasks and projects. Errors are RFC 9457 problem details.',
    },
  };
  app.get('/api/schema/', (c) => c.json(withScopes(app.getOpenAPI31Document(document))));
  app.route('/', docsRoutes());
  return app;
}
