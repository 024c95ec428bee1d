import type { Task, TaskDraft, TaskStatus } from '../../domain/task.ts';
import type { TaskCompleted } from '../../domain/task-completed.ts';
import type { Actor, User, UserDraft } from '../../domain/user.ts';

export interface UserRepository {
  byId(id: number): Promise<User | null>;
  /** Matches case-insensitively, after the same normalization registration applies. */
  byUsername(username: string): Promise<User | null>;
  /** Throws the domain's `usernameTaken` error when the name exists in any letter case. */
  add(draft: UserDraft): Promise<User>;
  /** Active users whose username contains `search` in any letter case, by ascending id. */
  search(query: { search?: string; afterId?: number; limit: number }): Promise<User[]>;
}

export const TASK_ORDER_FIELDS = ['id', 'created_at', 'updated_at', 'title'] as const;
export type TaskOrderField = (typeof TASK_ORDER_FIELDS)[number];

export interface TaskOrdering {
  field: TaskOrderField;
  descending: boolean;
}

/**
 * Where a page ends: the last row's ordering value (an id, a title, or an ISO 8601 instant)
 * and its id, which breaks ties. The next page starts strictly after it.
 */
export interface TaskKey {
  value: string | number;
  id: number;
}

export interface TaskListQuery {
  /** Staff see every task; anyone else the tasks they created or are assigned. */
  viewer: Actor;
  status?: TaskStatus;
  /** null: unassigned tasks only. */
  assignedTo?: number | null;
  createdBy?: number;
  /** Case-insensitive substring of the title or the description. */
  search?: string;
  ordering: TaskOrdering;
  after?: TaskKey;
  limit: number;
}

export interface TaskRepository {
  byId(id: number): Promise<Task | null>;
  /** Inside a unit of work: also keeps concurrent writers off the task until it commits. */
  byIdForUpdate(id: number): Promise<Task | null>;
  add(draft: TaskDraft): Promise<Task>;
  /** Stores the task if its stored version is still `expectedVersion`; false otherwise. */
  update(task: Task, expectedVersion: number): Promise<boolean>;
  /** Deletes the task if its stored version is still `expectedVersion`; false otherwise. */
  remove(id: number, expectedVersion: number): Promise<boolean>;
  /** One keyset page: at most `limit` tasks after `after`, in `ordering`. */
  list(query: TaskListQuery): Promise<Task[]>;
}

export interface RefreshTokenRecord {
  digest: string;
  familyId: string;
  userId: number;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface RefreshTokenStore {
  add(record: Omit<RefreshTokenRecord, 'usedAt' | 'revokedAt'>): Promise<void>;
  byDigest(digest: string): Promise<RefreshTokenRecord | null>;
  /** Marks an unused token used; false when it already was, which is how reuse shows. */
  markUsed(digest: string, at: Date): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
}

/** Completion events wait here, written in the transaction of the change, for the dispatcher. */
export interface Outbox {
  add(event: TaskCompleted): Promise<void>;
}

export interface Repositories {
  users: UserRepository;
  tasks: TaskRepository;
  refreshTokens: RefreshTokenStore;
  outbox: Outbox;
}
