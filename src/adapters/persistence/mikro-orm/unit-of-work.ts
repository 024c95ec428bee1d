import type { EntityManager } from '@mikro-orm/postgresql';
import type { Repositories } from '../../../application/ports/repositories.ts';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.ts';
import { mikroOrmComments } from './comments.ts';
import { guarded } from './failures.ts';
import { mikroOrmHistory } from './history.ts';
import type { Orm } from './orm.ts';
import { mikroOrmOutbox } from './outbox.ts';
import { mikroOrmRefreshTokens } from './refresh-tokens.ts';
import { mikroOrmStaffSessions } from './staff-sessions.ts';
import { mikroOrmTasks } from './tasks.ts';
import { mikroOrmUsers } from './users.ts';

export function mikroOrmRepositories(em: () => EntityManager): Repositories {
  return {
    users: mikroOrmUsers(em),
    tasks: mikroOrmTasks(em),
    comments: mikroOrmComments(em),
    history: mikroOrmHistory(em),
    refreshTokens: mikroOrmRefreshTokens(em),
    staffSessions: mikroOrmStaffSessions(em),
    outbox: mikroOrmOutbox(em),
  };
}

/** A fork of the EntityManager and one transaction per `run`: its writes commit together. */
export function mikroOrmUnitOfWork(orm: Orm): UnitOfWork {
  return {
    run: (work) =>
      guarded(() => orm.em.fork().transactional((em) => work(mikroOrmRepositories(() => em)))),
  };
}
