import type {
  RefreshTokenRecord,
  RefreshTokenStore,
} from '../../../application/ports/refresh-tokens.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

export function inMemoryRefreshTokens(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): RefreshTokenStore {
  const revokeWhere = (matches: (record: RefreshTokenRecord) => boolean, at: Date) => {
    for (const record of db.refreshTokens.values())
      if (matches(record) && !record.revokedAt)
        db.put(db.refreshTokens, record.digest, { ...record, revokedAt: at }, undo);
  };
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
      revokeWhere((record) => record.familyId === familyId, at);
    },
    async revokeAllOf(userId, at) {
      revokeWhere((record) => record.userId === userId, at);
    },
  };
}
