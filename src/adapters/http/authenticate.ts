import type { MiddlewareHandler } from 'hono';
import type { Scope } from '../../domain/api-token.ts';
import { invalidToken, notAuthenticated } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import type { AppEnv } from './env.ts';

/** `Bearer` is the standard scheme; `Token` is what the original service's clients send. */
const SCHEME = /^(?:Bearer|Token)(?:\s+|$)/i;

/** Safe methods only read (RFC 9110 §9.2.1); every other method is a write. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scope a request needs: what the contract calls a write needs `write`. */
export const scopeFor = (method: string): Scope =>
  SAFE_METHODS.has(method.toUpperCase()) ? 'read' : 'write';

/**
 * Before the route's validation, so that a credential that cannot make the request is refused
 * (401, 403) whatever the body holds, as DRF checks permissions before it parses.
 */
export function authenticate(
  actorOf: (credential: string, needs: Scope) => Promise<Actor>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization')?.trim();
    if (!header || !SCHEME.test(header)) throw notAuthenticated();
    const credentials = header.replace(SCHEME, '');
    if (!credentials || /\s/.test(credentials))
      throw invalidToken('Invalid token header. Expected one token after the scheme.');
    c.set('actor', await actorOf(credentials, scopeFor(c.req.method)));
    await next();
  };
}
