import { accountGone } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import { remembered } from '../remembered.ts';

/**
 * How long a process trusts what it last read of a user's active and staff status: the longest a
 * deactivated user keeps access, or a demoted one keeps staff powers, with a valid access token.
 */
export const ACCOUNT_STATUS_TTL_MS = 10_000;
/** Bounds the memory of the statuses remembered: one entry per user seen within the TTL. */
const MAX_REMEMBERED = 100_000;

/** A user as the accounts stand now, read at most once per user per `ttlMs`; null if inactive. */
export type AccountStatuses = (userId: number) => Promise<Actor | null>;

export function accountStatuses(
  deps: Pick<Deps, 'users' | 'clock'>,
  ttlMs = ACCOUNT_STATUS_TTL_MS,
): AccountStatuses {
  const statuses = remembered<number, Actor | null>(ttlMs, MAX_REMEMBERED);
  return (id) =>
    statuses.get(id, deps.clock.now().getTime(), () =>
      deps.users.byId(id).then((user) => (user?.isActive ? user.actor : null)),
    );
}

/**
 * Turns an access token into the caller as the accounts stand now. The token proves who the
 * caller is; whether that user is still active, and still staff, comes from the user repository,
 * read at most once per user per ACCOUNT_STATUS_TTL_MS in each process. A signed-in request
 * therefore costs a map lookup, not a database read, and deactivation takes effect within the TTL
 * rather than when the token expires.
 */
export function accessTokenAuthenticator(
  deps: Pick<Deps, 'tokens' | 'users' | 'clock'>,
  ttlMs = ACCOUNT_STATUS_TTL_MS,
  statuses = accountStatuses(deps, ttlMs),
): (token: string) => Promise<Actor> {
  return async (token) => {
    const claimed = await deps.tokens.verify(token);
    const actor = await statuses(claimed.id);
    if (!actor) throw accountGone();
    return actor;
  };
}
