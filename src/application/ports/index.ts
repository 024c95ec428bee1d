import type { ApiTokenStore } from './api-tokens.ts';
import type { Clock } from './clock.ts';
import type { CommentRepository } from './comments.ts';
import type { HistoryRepository } from './history.ts';
import type { Ids } from './ids.ts';
import type { KeyedDigest } from './keyed-digest.ts';
import type { OutboxQueue } from './outbox-queue.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Secrets } from './secrets.ts';
import type { StaffSessionStore } from './staff-sessions.ts';
import type { TaskRepository } from './tasks.ts';
import type { TokenService } from './token-service.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { UserRepository } from './users.ts';

/** Every port the use cases depend on; each use case takes the part it needs. */
export interface Ports {
  uow: UnitOfWork;
  /** Reads and single writes outside a unit of work. */
  users: UserRepository;
  tasks: TaskRepository;
  comments: CommentRepository;
  history: HistoryRepository;
  apiTokens: ApiTokenStore;
  /** Console sessions, outside a unit of work. */
  staffSessions: StaffSessionStore;
  /** The outbox as the dispatcher and the operator see it. */
  queue: OutboxQueue;
  /** Digests of API token secrets, keyed with a key of the service's own. */
  apiTokenDigest: KeyedDigest;
  hasher: PasswordHasher;
  tokens: TokenService;
  secrets: Secrets;
  ids: Ids;
  clock: Clock;
  /** Failed logins per username and client; a spent budget blocks that pair. */
  loginFailures: RateLimiter;
}
