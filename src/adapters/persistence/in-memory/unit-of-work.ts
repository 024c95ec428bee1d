import type { Repositories } from '../../../application/ports/repositories.ts';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';
import { inMemoryOutbox } from './outbox.ts';
import { inMemoryRefreshTokens } from './refresh-tokens.ts';
import { inMemoryTasks } from './tasks.ts';
import { inMemoryUsers } from './users.ts';

export function inMemoryRepositories(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): Repositories {
  return {
    users: inMemoryUsers(db, undo),
    tasks: inMemoryTasks(db, undo),
    refreshTokens: inMemoryRefreshTokens(db, undo),
    outbox: inMemoryOutbox(db, undo),
  };
}

export function inMemoryUnitOfWork(db: InMemoryDatabase): UnitOfWork {
  return {
    run: (work) =>
      db.serialize(async () => {
        const undo: UndoLog = [];
        try {
          return await work(inMemoryRepositories(db, undo));
        } catch (error) {
          for (const revert of undo.reverse()) revert();
          throw error;
        }
      }),
  };
}
