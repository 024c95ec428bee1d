import type { EntityManager } from '@mikro-orm/postgresql';
import type { Repositories } from '../../../application/ports/repositories.ts';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.ts';
import { mikroOrmComments } from './comments.ts';
import { guarded } from './failures.ts';
import { mikroOrmHistory } from './history.ts';
import type { Orm } from './orm.ts';
import { mikroOrmOutbox } from './outbox.ts';
import { mikroOrmMemberships, mikroOrmProjects } from './projects.ts';
import { mikroOrmRefreshTokens } from './refresh-tokens.ts';
import { mikroOrmStaffSessions } from './staff-sessions.ts';
import { mikroOrmTasks } from './tasks.ts';
import { mikroOrmUsers } from './users.ts';

/** `eventsAdded` is told of each outbox event the repositories insert. */
export function mikroOrmRepositories(
  em: () => EntityManager,
  eventsAdded: () => void,
): Repositories {
  return {
    users: mikroOrmUsers(em),
    tasks: mikroOrmTasks(em, eventsAdded),
    projects: mikroOrmProjects(em),
    memberships: mikroOrmMemberships(em),
    comments: mikroOrmComments(em),
    history: mikroOrmHistory(em),
    refreshTokens: mikroOrmRefreshTokens(em),
    staffSessions: mikroOrmStaffSessions(em),
    outbox: mikroOrmOutbox(em, eventsAdded),
  };
}

/**
 * A fork of the EntityManager and one transaction per `run`: its writes commit together.
 * `committedEvents` is called once a transaction that added outbox events has committed.
 */
export function mikroOrmUnitOfWork(orm: Orm, committedEvents: () => void): UnitOfWork {
  return {
    async run(work) {
      let added = false;
      const eventsAdded = () => {
        added = true;
      };
      const result = await guarded(() =>
        orm.em.fork().transactional((em) => work(mikroOrmRepositories(() => em, eventsAdded))),
      );
      if (added) committedEvents();
      return result;
    },
  };
}
