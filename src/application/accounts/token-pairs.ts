import type { User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { RefreshTokenStore } from '../ports/refresh-tokens.ts';

export interface TokenPair {
  access: string;
  refresh: string;
  expiresIn: number;
}

export type SessionDeps = Pick<Deps, 'uow' | 'tokens' | 'secrets' | 'ids' | 'clock' | 'settings'>;

/** A new access token and a new refresh token of `familyId`, stored only as its digest. */
export async function issueTokens(
  deps: SessionDeps,
  store: RefreshTokenStore,
  user: User,
  familyId: string,
): Promise<TokenPair> {
  const refresh = deps.secrets.token();
  const issuedAt = deps.clock.now();
  await store.add({
    digest: deps.secrets.digest(refresh),
    familyId,
    userId: user.id,
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + deps.settings.refreshTokenTtlSeconds * 1000),
  });
  const access = await deps.tokens.issue(user.actor);
  return { access: access.token, refresh, expiresIn: access.expiresIn };
}
