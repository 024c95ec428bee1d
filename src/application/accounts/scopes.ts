import type { Scope } from '../../domain/api-token.ts';
import { insufficientScope } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';

/**
 * What a credential reaches, in one place. A session (a JWT from logging in with a password)
 * reaches everything its user may do; a personal API token only its scopes, and never the
 * management of credentials themselves.
 */

/** Throws unless the caller's credential carries `scope` (`write` holds `read`, see the domain). */
export function requireScope(actor: Actor, scope: Scope): void {
  if (actor.apiToken && !actor.apiToken.scopes.includes(scope))
    throw insufficientScope(`This API token lacks the "${scope}" scope.`);
}

/**
 * Creating, listing and revoking API tokens and changing passwords need a session: a leaked API
 * token must not be able to mint more tokens or lock its owner out.
 */
export function requireSession(actor: Actor): void {
  if (actor.apiToken)
    throw insufficientScope('API tokens cannot do this; sign in with a password instead.');
}
