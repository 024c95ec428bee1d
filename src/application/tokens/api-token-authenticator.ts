import { API_TOKEN_PREFIX, type ApiToken } from '../../domain/api-token.ts';
import { accountGone, invalidToken } from '../../domain/errors.ts';
import type { Actor } from '../../domain/user.ts';
import type { AccountStatuses } from '../accounts/access-token-authenticator.ts';
import type { Deps } from '../deps.ts';
import { remembered } from '../remembered.ts';

/** `last_used_at` is kept to within this much: a token's use is written at most this often. */
export const LAST_USE_PRECISION_MS = 60_000;
/** Bounds what a process remembers: one entry per API token seen within the TTL. */
const MAX_REMEMBERED = 100_000;
/** URL-safe characters after the prefix; anything else cannot be a secret this service made. */
const SECRET = new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{1,250}$`);

export const isApiTokenSecret = (credential: string) => credential.startsWith(API_TOKEN_PREFIX);

/**
 * Turns an API token's secret into the caller. What the store holds for a digest is remembered
 * for `ttlMs` (the account-status cache's TTL), so a signed-in request costs an HMAC and two map
 * lookups, not a database read. Expiry is checked on every request against the clock, so it is
 * exact everywhere; a revocation is forgotten at once by the process that made it and reaches
 * the others within `ttlMs`.
 */
export function apiTokenAuthenticator(
  deps: Pick<Deps, 'apiTokens' | 'apiTokenDigest' | 'clock'>,
  statuses: AccountStatuses,
  ttlMs: number,
) {
  const lookups = remembered<string, ApiToken | null>(ttlMs, MAX_REMEMBERED);
  /** When this process last recorded each token's use. */
  const recorded = new Map<number, number>();

  /** Off the request's path: the request neither waits for the write nor fails with it. */
  function recordUse(token: ApiToken, now: Date): void {
    const last = Math.max(recorded.get(token.id) ?? 0, token.lastUsedAt?.getTime() ?? 0);
    if (now.getTime() - last < LAST_USE_PRECISION_MS) return;
    recorded.delete(token.id);
    if (recorded.size >= MAX_REMEMBERED) recorded.delete(recorded.keys().next().value as number);
    recorded.set(token.id, now.getTime());
    const unlessSince = new Date(now.getTime() - LAST_USE_PRECISION_MS);
    // A failed write is tried again a minute later; the use it records is only a hint.
    Promise.resolve()
      .then(() => deps.apiTokens.recordUse(token.id, now, unlessSince))
      .catch(() => undefined);
  }

  return {
    async authenticate(secret: string): Promise<Actor> {
      if (!SECRET.test(secret)) throw invalidToken();
      const digest = deps.apiTokenDigest.digest(secret);
      const now = deps.clock.now();
      const token = await lookups.get(digest, now.getTime(), () => deps.apiTokens.byDigest(digest));
      if (!token?.isUsableAt(now)) throw invalidToken('Token is invalid, expired or revoked.');
      const owner = await statuses(token.userId);
      if (!owner) throw accountGone();
      recordUse(token, now);
      return { ...owner, apiToken: { id: token.id, scopes: token.scopes } };
    },
    /** Stops trusting what this process remembers of a token: after revoking it. */
    forget(token: ApiToken): void {
      lookups.forget(token.digest);
    },
  };
}
