import type { Actor } from './user.ts';

/** A member's role in a project; null when the actor is not a member (or the task has none). */
export type ProjectRole = 'owner' | 'editor' | 'viewer';

/** What a right is decided from: the task's people, nothing else of it. */
export interface TaskPeople {
  readonly createdBy: number;
  readonly assignedTo: number | null;
}

export interface TaskRights {
  /** Whoever does not see a task gets "not found", never "forbidden", so ids do not leak. */
  sees: boolean;
  changesAnything: boolean;
  /** The assignee, when no other right applies, may change only the status. */
  changesStatus: boolean;
  deletes: boolean;
  comments: boolean;
}

/**
 * The one place that decides who may do what with a task. `role` is the actor's role in the
 * task's project. Every use case asks this; the list query's SQL states the same `sees` rule.
 */
export function taskRights(
  task: TaskPeople,
  actor: Actor,
  role: ProjectRole | null = null,
): TaskRights {
  const manages =
    actor.isStaff || task.createdBy === actor.id || role === 'owner' || role === 'editor';
  const assigned = task.assignedTo === actor.id;
  const sees = manages || assigned || role !== null;
  return {
    sees,
    changesAnything: manages,
    changesStatus: manages || assigned,
    deletes: manages,
    comments: sees,
  };
}

/** What a right over a comment is decided from: who wrote it. */
export interface CommentAuthorship {
  readonly authorId: number;
}

export interface CommentRights {
  edits: boolean;
  deletes: boolean;
}

/**
 * Who may do what with a comment of a task the actor sees (whoever does not see the task gets
 * "not found" from `taskRights` first). `role` is the actor's role in the task's project.
 */
export function commentRights(
  comment: CommentAuthorship,
  actor: Actor,
  role: ProjectRole | null = null,
): CommentRights {
  const wrote = comment.authorId === actor.id;
  return { edits: wrote, deletes: wrote || actor.isStaff || role === 'owner' };
}
