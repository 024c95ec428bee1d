import type { CommentRepository } from './comments.ts';
import type { HistoryRepository } from './history.ts';
import type { Outbox } from './outbox.ts';
import type { RefreshTokenStore } from './refresh-tokens.ts';
import type { StaffSessionStore } from './staff-sessions.ts';
import type { TaskRepository } from './tasks.ts';
import type { UserRepository } from './users.ts';

/** What a unit of work hands its callback: every repository, inside one transaction. */
export interface Repositories {
  users: UserRepository;
  tasks: TaskRepository;
  comments: CommentRepository;
  history: HistoryRepository;
  refreshTokens: RefreshTokenStore;
  staffSessions: StaffSessionStore;
  outbox: Outbox;
}
