import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RefreshTokenStore } from '../../../application/ports/refresh-tokens.ts';
import { RefreshTokenEntity } from './entities.ts';

export function mikroOrmRefreshTokens(em: () => EntityManager): RefreshTokenStore {
  return {
    async add(record) {
      await em().insert(RefreshTokenEntity, { ...record, usedAt: null, revokedAt: null });
    },
    async byDigest(digest) {
      const row = await em().findOne(RefreshTokenEntity, { digest }, { disableIdentityMap: true });
      if (!row) return null;
      const { familyId, userId, issuedAt, expiresAt, usedAt, revokedAt } = row;
      return {
        digest,
        familyId,
        userId,
        issuedAt,
        expiresAt,
        usedAt: usedAt ?? null,
        revokedAt: revokedAt ?? null,
      };
    },
    // One conditional UPDATE: of two concurrent uses of a token, exactly one sees a row change.
    async markUsed(digest, at) {
      return (
        (await em().nativeUpdate(RefreshTokenEntity, { digest, usedAt: null }, { usedAt: at })) ===
        1
      );
    },
    async purgeExpired(before, limit) {
      const result = await em().execute<QueryResult>(
        `delete from refresh_tokens where digest in
           (select digest from refresh_tokens where expires_at < ? limit ?)`,
        [before, limit],
        'run',
      );
      return result.affectedRows;
    },
    async revokeFamily(familyId, at) {
      await em().nativeUpdate(RefreshTokenEntity, { familyId, revokedAt: null }, { revokedAt: at });
    },
    async revokeAllOf(userId, at) {
      await em().nativeUpdate(RefreshTokenEntity, { userId, revokedAt: null }, { revokedAt: at });
    },
  };
}
