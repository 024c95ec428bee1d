import type {
  StaffSessionRecord,
  StaffSessionStore,
} from '../../../application/ports/staff-sessions.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

export function inMemoryStaffSessions(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): StaffSessionStore {
  const removeWhere = (matches: (record: StaffSessionRecord) => boolean, limit = Infinity) => {
    const gone = [...db.staffSessions.values()].filter(matches).slice(0, limit);
    for (const record of gone) db.remove(db.staffSessions, record.digest, undo);
    return gone.length;
  };
  return {
    async add(record) {
      db.put(db.staffSessions, record.digest, { ...record }, undo);
    },
    async byDigest(digest) {
      const record = db.staffSessions.get(digest);
      return record ? { ...record } : null;
    },
    async remove(digest) {
      db.remove(db.staffSessions, digest, undo);
    },
    async removeAllOf(userId) {
      removeWhere((record) => record.userId === userId);
    },
    purgeExpired: async (before, limit) =>
      removeWhere((record) => record.expiresAt < before, limit),
  };
}
