import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

const CLIENT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Keeps a well-formed client `X-Request-Id` so one id follows a request across services. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header('X-Request-Id');
  const id = given !== undefined && CLIENT_ID.test(given) ? given : randomUUID();
  c.set('requestId', id);
  await next();
  // On whatever response came back, error pages included. `c.header()` at this point would
  // rebuild the finished response, which costs more than the rest of this middleware.
  c.res.headers.set('X-Request-Id', id);
};
