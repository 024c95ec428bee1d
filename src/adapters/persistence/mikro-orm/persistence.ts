import type { ApiTokenStore } from '../../../application/ports/api-tokens.ts';
import type { ClusterLock } from '../../../application/ports/cluster-lock.ts';
import type { CommentRepository } from '../../../application/ports/comments.ts';
import type { HistoryRepository } from '../../../application/ports/history.ts';
import type { OutboxQueue } from '../../../application/ports/outbox-queue.ts';
import type {
  MembershipRepository,
  ProjectRepository,
} from '../../../application/ports/projects.ts';
import type { StaffSessionStore } from '../../../application/ports/staff-sessions.ts';
import type { TaskRepository } from '../../../application/ports/tasks.ts';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.ts';
import type { UserRepository } from '../../../application/ports/users.ts';
import type { Logger } from '../../logger.ts';
import { mikroOrmApiTokens } from './api-tokens.ts';
import { advisoryLock } from './cluster-lock.ts';
import { mikroOrmComments } from './comments.ts';
import { guarded, guardedMethods } from './failures.ts';
import { mikroOrmHistory } from './history.ts';
import { migrate } from './migrate.ts';
import { type Orm, openOrm } from './orm.ts';
import { OUTBOX_CHANNEL } from './outbox.ts';
import { OutboxNotifications } from './outbox-notifications.ts';
import { mikroOrmOutboxQueue } from './outbox-queue.ts';
import { mikroOrmMemberships, mikroOrmProjects } from './projects.ts';
import { mikroOrmStaffSessions } from './staff-sessions.ts';
import { mikroOrmTasks } from './tasks.ts';
import { mikroOrmUnitOfWork } from './unit-of-work.ts';
import { mikroOrmUsers } from './users.ts';

/** Every persistence port over one PostgreSQL database, and the handles to run it. */
export interface MikroOrmPersistence {
  uow: UnitOfWork;
  /** Outside a unit of work: each call is its own transaction. */
  users: UserRepository;
  tasks: TaskRepository;
  projects: ProjectRepository;
  memberships: MembershipRepository;
  comments: CommentRepository;
  history: HistoryRepository;
  apiTokens: ApiTokenStore;
  staffSessions: StaffSessionStore;
  queue: OutboxQueue;
  /** Advisory locks: work one instance at a time does (the purge). */
  lock: ClusterLock;
  orm: Orm;
  /** Resolves when PostgreSQL answers; throws Unavailable otherwise. */
  ping(): Promise<void>;
  /** Applies pending migrations; returns the names of those it applied. */
  migrate(): Promise<string[]>;
  /** Stops listening and closes the pool. */
  close(): Promise<void>;
}

export interface PersistenceOptions {
  logger: Pick<Logger, 'warn' | 'info'>;
  poolSize?: number;
}

/**
 * Connects to `url` and starts listening for outbox events. Throws the driver's own error when
 * PostgreSQL cannot be reached, so that the caller can say why in one line.
 */
export async function openMikroOrmPersistence(
  url: string,
  options: PersistenceOptions,
): Promise<MikroOrmPersistence> {
  const { logger } = options;
  const orm = await openOrm(url, {
    poolSize: options.poolSize,
    warn: (message) => logger.warn(message),
  });
  // The driver's own pool: for LISTEN, advisory locks and the tasks' named statements.
  const pool = () => orm.driver.getConnection().getNativeClient();
  const notifications = new OutboxNotifications({
    pool,
    channel: OUTBOX_CHANNEL,
    logger,
  });
  try {
    await orm.em.fork().execute('select 1');
    await notifications.start();
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  const fork = () => orm.em.fork();
  const added = () => notifications.added();
  return {
    uow: mikroOrmUnitOfWork(orm, added),
    users: guardedMethods(mikroOrmUsers(fork)),
    tasks: guardedMethods(mikroOrmTasks(fork, added, pool)),
    projects: guardedMethods(mikroOrmProjects(fork)),
    memberships: guardedMethods(mikroOrmMemberships(fork)),
    comments: guardedMethods(mikroOrmComments(fork)),
    history: guardedMethods(mikroOrmHistory(fork)),
    apiTokens: guardedMethods(mikroOrmApiTokens(fork)),
    staffSessions: guardedMethods(mikroOrmStaffSessions(fork)),
    queue: mikroOrmOutboxQueue(fork, notifications),
    lock: advisoryLock(pool),
    orm,
    async ping() {
      await guarded(() => fork().execute('select 1'));
    },
    migrate: () => migrate(orm),
    async close() {
      notifications.close();
      await orm.close();
    },
  };
}
