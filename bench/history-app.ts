// A bench-only composition for bench/history.ts: the whole service, as src/main.ts composes it,
// with HISTORY=off swapping the task UPDATE that carries its history entry for the UPDATE alone
// (the write as it was before task history), so that the two differ in that statement only.
import { serve } from '@hono/node-server';
import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger } from '../src/adapters/logger.ts';
import { guarded } from '../src/adapters/persistence/mikro-orm/failures.ts';
import { taskTable } from '../src/adapters/persistence/mikro-orm/task-table.ts';
import { mikroOrmRepositories } from '../src/adapters/persistence/mikro-orm/unit-of-work.ts';
import type { UnitOfWork } from '../src/application/ports/unit-of-work.ts';
import { composeApi, openDatabase, signingSecret } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import type { Task } from '../src/domain/task.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config, logger, 'own');
const { orm } = database.persistence;

async function updateAlone(em: EntityManager, task: Task, expectedVersion: number) {
  const { sql, params } = taskTable.update(task, {
    sql: 'id = ? and version = ?',
    params: [task.id, expectedVersion],
  });
  return (await em.execute<QueryResult>(sql, params, 'run')).affectedRows === 1;
}

const withoutHistory: UnitOfWork = {
  run: (work) =>
    guarded(() =>
      orm.em.fork().transactional((em) => {
        const tx = mikroOrmRepositories(() => em);
        return work({
          ...tx,
          tasks: { ...tx.tasks, update: (task, expected) => updateAlone(em, task, expected) },
        });
      }),
    ),
};

const { app } = composeApi({
  config,
  logger,
  database:
    process.env.HISTORY === 'off'
      ? { ...database, persistence: { ...database.persistence, uow: withoutHistory } }
      : database,
  jwtSecret: await signingSecret(config),
});
serve({ fetch: app.fetch, port: config.port });
process.once('SIGTERM', () => process.exit(0));
