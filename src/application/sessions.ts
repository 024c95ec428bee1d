import { DomainError, invalidToken, NON_FIELD, ThrottledError } from '../domain/errors.ts';
import { type Actor, USERNAME_MAX, type User, usernameKey } from '../domain/user.ts';
import type { Ports } from './ports/index.ts';
import type { RefreshTokenStore } from './ports/repositories.ts';

export interface TokenPair {
  access: string;
  refresh: string;
  expiresIn: number;
}

type SessionDeps = Pick<Ports, 'uow' | 'tokens' | 'secrets' | 'clock' | 'refreshTokenTtlSeconds'>;

const invalidCredentials = () =>
  new DomainError(
    'validation',
    'invalid_credentials',
    'Unable to log in with provided credentials.',
    {
      [NON_FIELD]: ['Unable to log in with provided credentials.'],
    },
  );

const invalidRefreshToken = () => invalidToken('Token is invalid or expired.');

async function issueTokens(
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
    expiresAt: new Date(issuedAt.getTime() + deps.refreshTokenTtlSeconds * 1000),
  });
  const access = await deps.tokens.issue(user.actor);
  return { access: access.token, refresh, expiresIn: access.expiresIn };
}

/**
 * Logs in: a new refresh-token family starts with every successful login. Failures are counted
 * per username and client; once that budget is spent the pair is refused, right password or not,
 * until the window ends. A success clears the count.
 */
export async function logIn(
  deps: SessionDeps & Pick<Ports, 'users' | 'hasher' | 'loginFailures'>,
  input: { username: string; password: string; client: string },
): Promise<TokenPair> {
  // Longer names cannot exist; capping the key keeps a hostile name from bloating the store.
  const attempt = `${usernameKey(input.username).slice(0, USERNAME_MAX)}|${input.client}`;
  const failures = await deps.loginFailures.peek(attempt);
  if (!failures.allowed) throw new ThrottledError(failures.resetSeconds);
  const user = await deps.users.byUsername(input.username);
  const valid = await deps.hasher.verify(input.password, user?.passwordHash ?? null);
  if (!user || !valid || !user.isActive) {
    await deps.loginFailures.consume(attempt);
    throw invalidCredentials();
  }
  await deps.loginFailures.reset(attempt);
  return deps.uow.run((tx) => issueTokens(deps, tx.refreshTokens, user, deps.secrets.uuid()));
}

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
  if (!pair) throw invalidRefreshToken();
  return pair;
}

/** Logs out: the refresh token's family stops working. Unknown tokens are not an error. */
export async function revokeSession(
  deps: Pick<Ports, 'uow' | 'secrets' | 'clock'>,
  input: { refresh: string },
): Promise<void> {
  const digest = deps.secrets.digest(input.refresh);
  await deps.uow.run(async (tx) => {
    const record = await tx.refreshTokens.byDigest(digest);
    if (record && !record.revokedAt)
      await tx.refreshTokens.revokeFamily(record.familyId, deps.clock.now());
  });
}

export async function whoAmI(deps: Pick<Ports, 'users'>, actor: Actor): Promise<User> {
  const user = await deps.users.byId(actor.id);
  if (!user?.isActive) throw invalidToken('User not found or inactive.');
  return user;
}
