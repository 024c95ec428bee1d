import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { Authenticator } from '../../application/accounts/authenticator.ts';
import type { Deps } from '../../application/deps.ts';
import type { AppEnv } from './env.ts';
import type { Paging } from './paging.ts';
import { rejectInvalid } from './validation.ts';

/** What every feature's routes are built from. */
export interface RouteDeps {
  deps: Deps;
  paging: Paging;
  /** The address throttling and login-failure counting key on. */
  clientIp: (c: Context) => string;
  /** What `authenticated` checks credentials with. */
  authenticator: Authenticator;
  /** Runs before every route that needs a signed-in caller. */
  authenticated: MiddlewareHandler<AppEnv>[];
  /** Runs before the routes that anyone may call (registration and tokens). */
  anonymous: MiddlewareHandler<AppEnv>[];
}

/** A feature's sub-app, mounted on the service's app with `app.route('/', …)`. */
export const featureApp = () => new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalid });
