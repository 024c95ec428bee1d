import type { TaskKey, TaskQuery, TaskRepository } from '../../../application/ports/tasks.ts';
import { taskKey } from '../../../application/tasks/list-tasks.ts';
import { accountGone } from '../../../domain/errors.ts';
import type { HistoryRecord } from '../../../domain/history.ts';
import { labelKey } from '../../../domain/labels.ts';
import { unknownProject } from '../../../domain/project.ts';
import { taskRights } from '../../../domain/rights.ts';
import { Task, type TaskDraft, type TaskProps, unknownAssignee } from '../../../domain/task.ts';
import { compareCodePoints } from '../../../domain/text.ts';
import { type InMemoryDatabase, membershipKey, type UndoLog } from './database.ts';
import { inMemoryOutbox } from './outbox.ts';

function compareKeys(a: TaskKey, b: TaskKey): number {
  const byValue =
    typeof a.value === 'number' && typeof b.value === 'number'
      ? a.value - b.value
      : compareCodePoints(String(a.value), String(b.value));
  return byValue !== 0 ? byValue : a.id - b.id;
}

function matches(db: InMemoryDatabase, task: TaskProps, query: TaskQuery): boolean {
  const { viewer } = query;
  const membership =
    task.projectId === null ? null : db.memberships.get(membershipKey(task.projectId, viewer.id));
  if (!taskRights(task, viewer, membership?.role ?? null).sees) return false;
  if (query.project !== undefined && task.projectId !== query.project) return false;
  if (query.status !== undefined && task.status !== query.status) return false;
  if (query.assignedTo !== undefined && task.assignedTo !== query.assignedTo) return false;
  if (query.createdBy !== undefined && task.createdBy !== query.createdBy) return false;
  const { dueAt } = task;
  if (query.dueBefore && !(dueAt !== null && dueAt < query.dueBefore)) return false;
  if (query.dueAfter && !(dueAt !== null && dueAt > query.dueAfter)) return false;
  if (query.priority !== undefined && task.priority !== query.priority) return false;
  if (query.labelKeys?.length) {
    const keys = new Set(task.labels.map(labelKey));
    if (!query.labelKeys.every((key) => keys.has(key))) return false;
  }
  if (query.search) {
    const needle = query.search.toLowerCase();
    return (
      task.title.toLowerCase().includes(needle) || task.description.toLowerCase().includes(needle)
    );
  }
  return true;
}

export function inMemoryTasks(db: InMemoryDatabase, undo: UndoLog | null = null): TaskRepository {
  const read = (id: number) => {
    const props = db.tasks.get(id);
    return props ? new Task({ ...props }) : null;
  };
  const versionIs = (id: number, version: number) => db.tasks.get(id)?.version === version;
  // PostgreSQL's foreign keys: checked on insert, and on update for a reference that changed.
  const requireUsers = (task: TaskDraft, before?: TaskProps) => {
    if (!before && !db.users.has(task.createdBy)) throw accountGone();
    if (task.assignedTo !== null && task.assignedTo !== before?.assignedTo)
      if (!db.users.has(task.assignedTo)) throw unknownAssignee(task.assignedTo);
    if (task.projectId !== null && task.projectId !== before?.projectId)
      if (!db.projects.has(task.projectId)) throw unknownProject(task.projectId);
  };
  const requireActor = (history: HistoryRecord) => {
    if (!db.users.has(history.actorId)) throw accountGone();
  };
  // Outside a transaction a write waits for the open ones, as PostgreSQL's row locks make it.
  const alone = <T>(write: () => Promise<T>) => (undo ? write() : db.serialize(write));
  return {
    byId: async (id) => read(id),
    async byIdWithRole(id, userId) {
      const task = read(id);
      if (!task) return null;
      const membership =
        task.projectId === null
          ? undefined
          : db.memberships.get(membershipKey(task.projectId, userId));
      return { task, role: membership?.role ?? null };
    },
    byIdForUpdate: async (id) => read(id),
    count: async () => db.tasks.size,
    async add(draft, history) {
      requireUsers(draft);
      requireActor(history);
      const id = db.nextTaskId++;
      db.put(db.tasks, id, { ...draft, id }, undo);
      db.record(id, history, undo);
      return new Task({ ...draft, id });
    },
    update: (task, expectedVersion, history, completion, withdrawReminder = false) =>
      alone(async () => {
        if (!versionIs(task.id, expectedVersion)) return false;
        requireUsers(task, db.tasks.get(task.id));
        requireActor(history);
        db.put(db.tasks, task.id, { ...task }, undo);
        db.record(task.id, history, undo);
        if (withdrawReminder) await inMemoryOutbox(db, undo).withdrawReminder(task.id);
        if (completion) {
          await inMemoryOutbox(db, undo).add(completion);
          // Outside a transaction this was the commit; inside one, the unit of work announces.
          if (!undo) db.announceOutbox();
        }
        return true;
      }),
    async remove(id, expectedVersion) {
      if (!versionIs(id, expectedVersion)) return false;
      // As the foreign keys' `on delete cascade`: the task's comments and history go with it.
      for (const [key, row] of db.comments)
        if (row.taskId === id) db.remove(db.comments, key, undo);
      for (const [key, row] of db.history) if (row.taskId === id) db.remove(db.history, key, undo);
      db.remove(db.tasks, id, undo);
      return true;
    },
    async list(query) {
      const { field, descending } = query.ordering;
      const direction = descending ? -1 : 1;
      const keyed = [...db.tasks.values()]
        .filter((task) => matches(db, task, query))
        .map((props) => ({ props, key: taskKey(new Task(props), field) }));
      const after = query.after;
      return keyed
        .filter(({ key }) => !after || direction * compareKeys(key, after) > 0)
        .sort((a, b) => direction * compareKeys(a.key, b.key))
        .slice(0, query.limit)
        .map(({ props }) => new Task({ ...props }));
    },
  };
}
