import type { MiddlewareHandler } from 'hono';
import { invalidToken, notAuthenticated } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import type { AppEnv } from './env.ts';

/** `Bearer` is the standard scheme; `Token` is what the original service's clients send. */
const SCHEME = /^(?:Bearer|Token)(?:\s+|$)/i;

export function authenticate(
  actorOf: (token: string) => Promise<Actor>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization')?.trim();
    if (!header || !SCHEME.test(header)) throw notAuthenticated();
    const credentials = header.replace(SCHEME, '');
    if (!credentials || /\s/.test(credentials))
      throw invalidToken('Invalid token header. Expected one token after the scheme.');
    c.set('actor', await actorOf(credentials));
    await next();
  };
}
