import { inMemoryApiTokens } from '../../src/adapters/persistence/in-memory/api-tokens.ts';
import { inMemoryComments } from '../../src/adapters/persistence/in-memory/comments.ts';
import { InMemoryDatabase } from '../../src/adapters/persistence/in-memory/database.ts';
import { inMemoryHistory } from '../../src/adapters/persistence/in-memory/history.ts';
import { inMemoryOutboxQueue } from '../../src/adapters/persistence/in-memory/outbox-queue.ts';
import { inMemoryStaffSessions } from '../../src/adapters/persistence/in-memory/staff-sessions.ts';
import { inMemoryTasks } from '../../src/adapters/persistence/in-memory/tasks.ts';
import { inMemoryUnitOfWork } from '../../src/adapters/persistence/in-memory/unit-of-work.ts';
import { inMemoryUsers } from '../../src/adapters/persistence/in-memory/users.ts';
import type { ApiTokenStore } from '../../src/application/ports/api-tokens.ts';
import type { CommentRepository } from '../../src/application/ports/comments.ts';
import type { HistoryRepository } from '../../src/application/ports/history.ts';
import type { OutboxQueue } from '../../src/application/ports/outbox-queue.ts';
import type { StaffSessionStore } from '../../src/application/ports/staff-sessions.ts';
import type { TaskRepository } from '../../src/application/ports/tasks.ts';
import type { UnitOfWork } from '../../src/application/ports/unit-of-work.ts';
import type { UserRepository } from '../../src/application/ports/users.ts';

/** One persistence adapter, fresh and empty, as every port contract suite receives it. */
export interface Persistence {
  uow: UnitOfWork;
  /** Outside a unit of work: each call commits on its own. */
  users: UserRepository;
  tasks: TaskRepository;
  comments: CommentRepository;
  history: HistoryRepository;
  apiTokens: ApiTokenStore;
  staffSessions: StaffSessionStore;
  queue: OutboxQueue;
  /** Releases what this persistence holds (connections, databases). */
  close(): Promise<void>;
}

export type MakePersistence = () => Promise<Persistence>;

/** The reference adapter: everything in one InMemoryDatabase. */
export function inMemoryPersistence(db = new InMemoryDatabase()): Persistence {
  return {
    uow: inMemoryUnitOfWork(db),
    users: inMemoryUsers(db),
    tasks: inMemoryTasks(db),
    comments: inMemoryComments(db),
    history: inMemoryHistory(db),
    apiTokens: inMemoryApiTokens(db),
    staffSessions: inMemoryStaffSessions(db),
    queue: inMemoryOutboxQueue(db),
    close: async () => {},
  };
}
