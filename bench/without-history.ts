import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { guarded } from '../src/adapters/persistence/mikro-orm/failures.ts';
import type { Orm } from '../src/adapters/persistence/mikro-orm/orm.ts';
import { taskTable } from '../src/adapters/persistence/mikro-orm/task-table.ts';
import { mikroOrmRepositories } from '../src/adapters/persistence/mikro-orm/unit-of-work.ts';
import type { TaskRepository } from '../src/application/ports/tasks.ts';
import type { UnitOfWork } from '../src/application/ports/unit-of-work.ts';
import type { Task } from '../src/domain/task.ts';

async function updateAlone(em: EntityManager, task: Task, expectedVersion: number) {
  const { sql, params } = taskTable.update(task, {
    sql: 'id = ? and version = ?',
    params: [task.id, expectedVersion],
  });
  return (await em.execute<QueryResult>(sql, params, 'run')).affectedRows === 1;
}

// Title changes, the only writes the history bench makes, add no outbox events.
const noEvents = () => {};

/**
 * The service's unit of work and task repository with the task UPDATE alone, as it was before
 * task history: what the history entry's cost is measured against. Bench only.
 */
export function withoutHistory(persistence: { orm: Orm; tasks: TaskRepository }): {
  uow: UnitOfWork;
  tasks: TaskRepository;
} {
  const { orm } = persistence;
  const uow: UnitOfWork = {
    run: (work) =>
      guarded(() =>
        orm.em.fork().transactional((em) => {
          const tx = mikroOrmRepositories(() => em, noEvents);
          return work({
            ...tx,
            tasks: { ...tx.tasks, update: (task, expected) => updateAlone(em, task, expected) },
          });
        }),
      ),
  };
  const tasks: TaskRepository = {
    ...persistence.tasks,
    update: (task, expected) => guarded(() => updateAlone(orm.em.fork(), task, expected)),
  };
  return { uow, tasks };
}
