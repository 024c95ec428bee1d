import type { Context } from 'hono';
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { currentSession } from '../../application/staff-sessions/current-session.ts';
import { DomainError } from '../../domain/errors.ts';
import { formBodies } from '../http/bodies.ts';
import { statusOf } from '../http/errors.ts';
import type { ConsoleEnv, ConsolePages } from './context.ts';
import { notificationPages } from './pages/notifications.tsx';
import { overviewPage } from './pages/overview.tsx';
import { projectPages } from './pages/projects.tsx';
import { signInPages, signOutPage } from './pages/sign-in.tsx';
import { taskPages } from './pages/tasks.tsx';
import { userPages } from './pages/users.tsx';
import { CONSOLE_CSS } from './styles.ts';
import { Layout, STYLESHEET } from './views.tsx';

/**
 * Only this service's own origin, for everything, and no script at all: the console is plain
 * HTML forms. Forms may post only to the service itself.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ConsoleOptions extends ConsolePages {
  logger: Logger;
  /** The scheme and host the service answers on, which a POST's Origin must name. */
  origin: (c: Context) => string;
}

const errorPage = (status: number, message: string) => (
  <Layout
    title={status === 404 ? 'Not found' : status === 403 ? 'Forbidden' : 'Error'}
    viewer={null}
  >
    <p role="alert">{message}</p>
    <p>
      <a href="/admin/">Back to the console</a>
    </p>
  </Layout>
);

/** The staff console at /admin/: HTML pages over the same use cases as the API. */
export function consoleRoutes(options: ConsoleOptions) {
  const { deps, cookies, logger } = options;
  const app = new Hono<ConsoleEnv>();
  app.onError((error, c) => {
    if (error instanceof DomainError)
      return c.html(errorPage(statusOf(error), error.message), statusOf(error));
    if (error instanceof HTTPException && error.status < 500)
      return c.html(errorPage(error.status, error.message || 'Forbidden.'), error.status);
    logger.error(
      { err: error, requestId: c.get('requestId'), path: c.req.path },
      'unhandled error',
    );
    return c.html(errorPage(500, 'The console could not complete the request.'), 500);
  });

  app.use('/admin/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('Cache-Control', 'no-store');
  });
  // Hono's Origin check: a form posted from another site is refused before anything reads it.
  app.use('/admin/*', csrf({ origin: (origin, c) => origin === options.origin(c) }));
  app.use('/admin/*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    await formBodies(c, async () => {
      const body = c.req.header('Content-Type') ? await c.req.json().catch(() => ({})) : {};
      c.set('form', body && typeof body === 'object' ? body : {});
      await next();
    });
  });

  app.get(`${STYLESHEET}/`, (c) =>
    c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  );
  signInPages(app, options);

  // Every page below needs a signed-in staff member, and every POST the session's CSRF token.
  app.use('/admin/*', async (c, next) => {
    const secret = cookies.session(c);
    const staff = secret ? await currentSession(deps, secret) : null;
    if (!secret || !staff) {
      if (secret) cookies.end(c);
      const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
      return c.redirect(`/admin/login/${next}`, 303);
    }
    if (c.req.method === 'POST' && !cookies.verifies(secret, c.var.form?.csrf))
      throw new HTTPException(403, {
        message: 'The form is missing its CSRF token, or it is not this session’s.',
      });
    c.set('staff', staff);
    c.set('actor', staff.actor);
    c.set('csrf', cookies.csrfOf(secret));
    await next();
  });
  signOutPage(app, options);
  overviewPage(app, options);
  userPages(app, options);
  taskPages(app, options);
  projectPages(app, options);
  notificationPages(app, options);
  app.get('/admin/*', (c) => c.html(errorPage(404, 'There is no such page.'), 404));
  return app;
}
