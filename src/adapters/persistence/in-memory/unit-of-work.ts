import type { Repositories } from '../../../application/ports/repositories.ts';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.ts';
import { inMemoryComments } from './comments.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';
import { inMemoryHistory } from './history.ts';
import { inMemoryOutbox } from './outbox.ts';
import { inMemoryMemberships, inMemoryProjects } from './projects.ts';
import { inMemoryRefreshTokens } from './refresh-tokens.ts';
import { inMemoryStaffSessions } from './staff-sessions.ts';
import { inMemoryTasks } from './tasks.ts';
import { inMemoryUsers } from './users.ts';

export function inMemoryRepositories(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): Repositories {
  return {
    users: inMemoryUsers(db, undo),
    tasks: inMemoryTasks(db, undo),
    projects: inMemoryProjects(db, undo),
    memberships: inMemoryMemberships(db, undo),
    comments: inMemoryComments(db, undo),
    history: inMemoryHistory(db),
    refreshTokens: inMemoryRefreshTokens(db, undo),
    staffSessions: inMemoryStaffSessions(db, undo),
    outbox: inMemoryOutbox(db, undo),
  };
}

export function inMemoryUnitOfWork(db: InMemoryDatabase): UnitOfWork {
  return {
    async run(work) {
      let addedEvents = false;
      const result = await db.serialize(async () => {
        const undo: UndoLog = [];
        const repositories = inMemoryRepositories(db, undo);
        const { outbox } = repositories;
        const eventsBefore = new Set(db.outbox.keys());
        try {
          const result = await work({
            ...repositories,
            outbox: {
              ...outbox,
              async add(event) {
                await outbox.add(event);
                addedEvents = true;
              },
            },
          });
          // A completion is recorded by the task's own update, as its SQL statement does.
          if ([...db.outbox.keys()].some((eventId) => !eventsBefore.has(eventId)))
            addedEvents = true;
          return result;
        } catch (error) {
          for (const revert of undo.reverse()) revert();
          throw error;
        }
      });
      // Only now has the transaction committed: a listener that looks finds the events.
      if (addedEvents) db.announceOutbox();
      return result;
    },
  };
}
