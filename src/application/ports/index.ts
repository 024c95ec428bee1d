import type { Clock } from './clock.ts';
import type { PasswordHasher } from './password-hasher.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { TaskRepository, UserRepository } from './repositories.ts';
import type { Secrets } from './secrets.ts';
import type { TokenService } from './token-service.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** Everything the use cases depend on; each use case takes the part it needs. */
export interface Ports {
  uow: UnitOfWork;
  /** Reads and single writes outside a unit of work. */
  users: UserRepository;
  tasks: TaskRepository;
  hasher: PasswordHasher;
  tokens: TokenService;
  secrets: Secrets;
  clock: Clock;
  /** Failed logins per username and client; a spent budget blocks that pair. */
  loginFailures: RateLimiter;
  refreshTokenTtlSeconds: number;
}
