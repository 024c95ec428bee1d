import type { RefreshTokenStore } from '../../../application/ports/refresh-tokens.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

export function inMemoryRefreshTokens(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): RefreshTokenStore {
  return {
    async add(record) {
      db.put(db.refreshTokens, record.digest, { ...record, usedAt: null, revokedAt: null }, undo);
    },
    async byDigest(digest) {
      const record = db.refreshTokens.get(digest);
      return record ? { ...record } : null;
    },
    async markUsed(digest, at) {
      const record = db.refreshTokens.get(digest);
      if (!record || record.usedAt) return false;
      db.put(db.refreshTokens, digest, { ...record, usedAt: at }, undo);
      return true;
    },
    async purgeExpired(before, limit) {
      const expired = [...db.refreshTokens.values()]
        .filter((record) => record.expiresAt < before)
        .slice(0, limit);
      for (const record of expired) db.remove(db.refreshTokens, record.digest, undo);
      return expired.length;
    },
    async revokeFamily(familyId, at) {
      for (const record of db.refreshTokens.values())
        if (record.familyId === familyId && !record.revokedAt)
          db.put(db.refreshTokens, record.digest, { ...record, revokedAt: at }, undo);
    },
  };
}
