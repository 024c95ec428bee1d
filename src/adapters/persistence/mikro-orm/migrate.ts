import type { Orm } from './orm.ts';

// Any constant shared by every instance of the service: it names the lock, nothing else.
const MIGRATION_LOCK = 4_171_301;

/**
 * Applies the pending migrations and returns their names. Instances starting together take
 * turns: the second waits for the first, then finds nothing left to apply.
 */
export function migrate(orm: Orm): Promise<string[]> {
  return orm.em.fork().transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    const applied = await orm.migrator.up();
    return applied.map((migration) => migration.name);
  });
}
