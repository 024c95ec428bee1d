import { accountGone } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

/**
 * How long a process trusts what it last read of a user's active and staff status: the longest a
 * deactivated user keeps access, or a demoted one keeps staff powers, with a valid access token.
 */
export const ACCOUNT_STATUS_TTL_MS = 10_000;
/** Bounds the memory of the statuses remembered: one entry per user seen within the TTL. */
const MAX_REMEMBERED = 100_000;

interface Remembered {
  actor: Promise<Actor | null>;
  expiresAt: number;
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
): (token: string) => Promise<Actor> {
  // Insertion order is expiry order, since every entry lives equally long: stale ones lead.
  const remembered = new Map<number, Remembered>();

  function forgetStale(now: number): void {
    for (const [id, entry] of remembered) {
      if (entry.expiresAt > now && remembered.size < MAX_REMEMBERED) return;
      remembered.delete(id);
    }
  }

  function statusOf(id: number, now: number): Promise<Actor | null> {
    const known = remembered.get(id);
    if (known && known.expiresAt > now) return known.actor;
    remembered.delete(id);
    forgetStale(now);
    // Concurrent requests of one user share the read; a failed read is not remembered.
    const entry: Remembered = {
      actor: deps.users.byId(id).then((user) => (user?.isActive ? user.actor : null)),
      expiresAt: now + ttlMs,
    };
    entry.actor.catch(() => {
      if (remembered.get(id) === entry) remembered.delete(id);
    });
    remembered.set(id, entry);
    return entry.actor;
  }

  return async (token) => {
    const claimed = await deps.tokens.verify(token);
    const actor = await statusOf(claimed.id, deps.clock.now().getTime());
    if (!actor) throw accountGone();
    return actor;
  };
}
