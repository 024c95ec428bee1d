import { invalidToken } from '../../domain/errors.ts';
import { issueTokens, type SessionDeps, type TokenPair } from './token-pairs.ts';

/**
 * Trades a refresh token for a new pair. A token works once: presenting it again means it
 * leaked, so its whole family is revoked, the thief's copy and the owner's alike.
 */
export async function refreshSession(
  deps: SessionDeps,
  input: { refresh: string },
): Promise<TokenPair> {
  const digest = deps.secrets.digest(input.refresh);
  const now = deps.clock.now();
  // The revocation must commit, so the transaction returns null instead of throwing.
  const pair = await deps.uow.run(async (tx) => {
    const record = await tx.refreshTokens.byDigest(digest);
    if (!record || record.revokedAt || record.expiresAt <= now) return null;
    const user = await tx.users.byId(record.userId);
    if (!user?.isActive || !(await tx.refreshTokens.markUsed(digest, now))) {
      await tx.refreshTokens.revokeFamily(record.familyId, now);
      return null;
    }
    return issueTokens(deps, tx.refreshTokens, user, record.familyId);
  });
  if (!pair) throw invalidToken('Token is invalid or expired.');
  return pair;
}
