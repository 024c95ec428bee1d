import type { ApiToken, ApiTokenDraft } from '../../domain/api-token.ts';

/**
 * Personal API tokens. Every method is one statement, so none needs a unit of work: a token is
 * written on its own, and nothing else changes with it.
 */
export interface ApiTokenStore {
  add(draft: ApiTokenDraft): Promise<ApiToken>;
  /** The token whose secret has this digest, revoked and expired ones included. */
  byDigest(digest: string): Promise<ApiToken | null>;
  /** One page of `userId`'s tokens that are not revoked, by ascending id. */
  listOf(userId: number, page: { afterId?: number; limit: number }): Promise<ApiToken[]>;
  /** Revokes `userId`'s token `id`; null when the user has no such unrevoked token. */
  revoke(userId: number, id: number, at: Date): Promise<ApiToken | null>;
  /**
   * Records a use at `at`, unless one at or after `unlessSince` is already recorded: of the
   * instances that see a token at once, only the first writes.
   */
  recordUse(id: number, at: Date, unlessSince: Date): Promise<void>;
  /** Deletes at most `limit` tokens that expired or were revoked before `before`; returns how many. */
  purgeExpired(before: Date, limit: number): Promise<number>;
}
