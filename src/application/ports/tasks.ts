import type { HistoryRecord } from '../../domain/history.ts';
import type { Priority } from '../../domain/priority.ts';
import type { ProjectRole } from '../../domain/rights.ts';
import type { Task, TaskDraft, TaskStatus } from '../../domain/task.ts';
import type { CompletionRecord } from '../../domain/task-completed.ts';
import type { Actor } from '../../domain/user.ts';

export const TASK_ORDER_FIELDS = [
  'id',
  'created_at',
  'updated_at',
  'title',
  'due_at',
  'priority',
] as const;
export type TaskOrderField = (typeof TASK_ORDER_FIELDS)[number];

export interface TaskOrdering {
  field: TaskOrderField;
  descending: boolean;
}

/**
 * Where a page ends: the last row's ordering value (an id, a title, an ISO 8601 instant or
 * `infinity` for no due date, a priority's rank) and its id, which breaks ties. The next page
 * starts strictly after it.
 */
export interface TaskKey {
  value: string | number;
  id: number;
}

/** What a task list asks the repository for: one page of the tasks `viewer` may see. */
export interface TaskQuery {
  /**
   * Staff see every task; anyone else the tasks they created or are assigned and the tasks of
   * the projects they are a member of, as `taskRights` decides.
   */
  viewer: Actor;
  status?: TaskStatus;
  /** null: unassigned tasks only. */
  assignedTo?: number | null;
  createdBy?: number;
  /** null: tasks in no project only. */
  project?: number | null;
  /** Case-insensitive substring of the title or the description. */
  search?: string;
  /** Due strictly before or after these; a task with no due date is due at neither. */
  dueBefore?: Date;
  dueAfter?: Date;
  priority?: Priority;
  /** The keys (`labelKey`) of labels the task must all have. */
  labelKeys?: string[];
  ordering: TaskOrdering;
  after?: TaskKey;
  limit: number;
}

/**
 * `add` and `update` refuse a task whose creator no longer exists (the domain's `accountGone`:
 * an access token outlives its account by up to the account-status TTL) or whose assignee does
 * not (`unknownAssignee`), as the database's foreign keys do. Each stores, with the task and in
 * the same statement where the database allows, the history entry that records the write; deleting
 * a task deletes its history and comments.
 */
export interface TaskRepository {
  byId(id: number): Promise<Task | null>;
  /**
   * The task and `userId`'s role in its project (null for a task in no project, or for someone
   * not a member), read together: what a read decides its rights from, in one round trip.
   */
  byIdWithRole(
    id: number,
    userId: number,
  ): Promise<{ task: Task; role: ProjectRole | null } | null>;
  /** Inside a unit of work: also keeps concurrent writers off the task until it commits. */
  byIdForUpdate(id: number): Promise<Task | null>;
  add(draft: TaskDraft, history: HistoryRecord): Promise<Task>;
  /**
   * Stores the task and its history entry if its stored version is still `expectedVersion`;
   * false (and neither stored) otherwise. Given a completion, adds its event to the outbox (as
   * `Outbox.add` does), and with `withdrawReminder` takes back the task's unsent reminder (as
   * `Outbox.withdrawReminder` does), in the same atomic step and only if the task was stored:
   * outside a unit of work they all commit together, on their own.
   */
  update(
    task: Task,
    expectedVersion: number,
    history: HistoryRecord,
    completion?: CompletionRecord,
    withdrawReminder?: boolean,
  ): Promise<boolean>;
  /** Deletes the task if its stored version is still `expectedVersion`; false otherwise. */
  remove(id: number, expectedVersion: number): Promise<boolean>;
  /**
   * One keyset page: at most `limit` tasks after `after`, in `ordering`. A search over every task
   * (staff's) that would run too long may be refused with a validation error on `search`.
   */
  list(query: TaskQuery): Promise<Task[]>;
  /** How many tasks exist. */
  count(): Promise<number>;
}
