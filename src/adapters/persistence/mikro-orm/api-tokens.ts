import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiTokenStore } from '../../../application/ports/api-tokens.ts';
import { ApiToken } from '../../../domain/api-token.ts';
import { ApiTokenEntity } from './entities.ts';

// Read-only results: nothing to track, and nothing for a later flush to write back.
const untracked = { disableIdentityMap: true } as const;

export function mikroOrmApiTokens(em: () => EntityManager): ApiTokenStore {
  return {
    async add(draft) {
      const row = { ...draft, scopes: [...draft.scopes], lastUsedAt: null, revokedAt: null };
      const id = await em().insert(ApiTokenEntity, row);
      return new ApiToken({ ...row, id });
    },
    byDigest: (digest) => em().findOne(ApiTokenEntity, { digest }, untracked),
    listOf: (userId, { afterId = 0, limit }) =>
      em().find(
        ApiTokenEntity,
        { userId, revokedAt: null, id: { $gt: afterId } },
        { orderBy: { id: 'asc' }, limit, ...untracked },
      ),
    async revoke(userId, id, at) {
      // One conditional UPDATE: of two concurrent revocations, exactly one finds the token.
      const [row] = await em().execute<{ id: number }[]>(
        'update api_tokens set revoked_at = ? where id = ? and user_id = ? and revoked_at is null returning id',
        [at, id, userId],
      );
      return row ? em().findOne(ApiTokenEntity, { id }, untracked) : null;
    },
    async recordUse(id, at, unlessSince) {
      await em().nativeUpdate(
        ApiTokenEntity,
        { id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: unlessSince } }] },
        { lastUsedAt: at },
      );
    },
    async purgeExpired(before, limit) {
      const result = await em().execute<QueryResult>(
        `delete from api_tokens where id in
           (select id from api_tokens where expires_at < ? or revoked_at < ? limit ?)`,
        [before, before, limit],
        'run',
      );
      return result.affectedRows;
    },
  };
}
