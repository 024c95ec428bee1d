import type { Context, MiddlewareHandler } from 'hono';
import type { Ports } from '../../../application/ports/index.ts';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';

export interface RouteDeps {
  ports: Ports;
  cursors: CursorCodec;
  /** The address throttling and login-failure counting key on. */
  clientIp: (c: Context) => string;
  /** Runs before every route that needs a signed-in caller. */
  authenticated: MiddlewareHandler<AppEnv>[];
  /** Runs before the routes that anyone may call (registration and tokens). */
  anonymous: MiddlewareHandler<AppEnv>[];
}
