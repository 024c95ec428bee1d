import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

/** Responses that carry a credential must never sit in a cache (RFC 6749 §5.1). */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
};
