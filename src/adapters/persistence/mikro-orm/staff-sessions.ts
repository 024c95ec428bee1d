import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  StaffSessionRecord,
  StaffSessionStore,
} from '../../../application/ports/staff-sessions.ts';

interface StaffSessionRow {
  digest: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export function mikroOrmStaffSessions(em: () => EntityManager): StaffSessionStore {
  const run = (sql: string, params: unknown[]) => em().execute<QueryResult>(sql, params, 'run');
  return {
    async add({ digest, userId, createdAt, expiresAt }) {
      await run(
        'insert into staff_sessions (digest, user_id, created_at, expires_at) values (?, ?, ?, ?)',
        [digest, userId, createdAt, expiresAt],
      );
    },
    async byDigest(digest): Promise<StaffSessionRecord | null> {
      const manager = em();
      const [row] = await manager.execute<StaffSessionRow[]>(
        'select * from staff_sessions where digest = ?',
        [digest],
      );
      if (!row) return null;
      const parse = (text: string) => manager.getPlatform().parseDate(text);
      return {
        digest: row.digest,
        userId: row.user_id,
        createdAt: parse(row.created_at),
        expiresAt: parse(row.expires_at),
      };
    },
    async remove(digest) {
      await run('delete from staff_sessions where digest = ?', [digest]);
    },
    async removeAllOf(userId) {
      await run('delete from staff_sessions where user_id = ?', [userId]);
    },
    async purgeExpired(before, limit) {
      const result = await run(
        `delete from staff_sessions where digest in
           (select digest from staff_sessions where expires_at < ? limit ?)`,
        [before, limit],
      );
      return result.affectedRows;
    },
  };
}
