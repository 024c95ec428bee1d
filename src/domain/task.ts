import { Entity } from './entity.ts';
import { type FieldErrors, fieldError, forbidden, notFound, throwIfInvalid } from './errors.ts';
import { fieldChanges, type HistoryRecord } from './history.ts';
import { normalizeLabels, sameLabels } from './labels.ts';
import { DEFAULT_PRIORITY, isPriority, type Priority } from './priority.ts';
import { type ProjectRole, type TaskRights, taskRights } from './rights.ts';
import { codePointLength } from './text.ts';
import type { Actor } from './user.ts';

export const TASK_STATUSES = ['pending', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;

/** What a client may write. */
export interface TaskFields {
  title: string;
  description: string;
  status: TaskStatus;
  assignedTo: number | null;
  /** The project the task belongs to, or null. */
  projectId: number | null;
  dueAt: Date | null;
  priority: Priority;
  /** Normalized: see `normalizeLabels`. */
  labels: readonly string[];
}

export type TaskChanges = Partial<TaskFields>;

export interface TaskProps extends TaskFields {
  id: number;
  createdBy: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  version: number;
}

export type TaskDraft = Omit<TaskProps, 'id'>;

export interface ChangeOutcome {
  changed: (keyof TaskFields)[];
  /** True when this change is the one that made the task completed. */
  completed: boolean;
  /** The entry the task's history records for this change; null when nothing changed. */
  history: HistoryRecord | null;
}

const WRITABLE = [
  'title',
  'description',
  'status',
  'assignedTo',
  'projectId',
  'dueAt',
  'priority',
  'labels',
] as const satisfies readonly (keyof TaskFields)[];

/** Errors of a text field; NUL is refused as DRF refuses it (and PostgreSQL cannot store it). */
export function textErrors(text: string, max: number, required: boolean): string[] {
  if (required && text.length === 0) return ['This field may not be blank.'];
  if (codePointLength(text) > max) return [`Ensure this field has no more than ${max} characters.`];
  if (text.includes('\u0000')) return ['Null characters are not allowed.'];
  return [];
}

/** PostgreSQL's timestamps reach further, but no later year has four digits, nor an earlier one. */
const DUE_AT_RANGE = [Date.UTC(1, 0, 1), Date.UTC(10_000, 0, 1)] as const;

export function dueAtErrors(dueAt: Date | null): string[] {
  if (dueAt === null) return [];
  const time = dueAt.getTime();
  return time >= DUE_AT_RANGE[0] && time < DUE_AT_RANGE[1]
    ? []
    : ['Enter a date and time between the years 0001 and 9999 (UTC).'];
}

function sameValue<Field extends keyof TaskFields>(
  field: Field,
  a: TaskFields[Field],
  b: TaskFields[Field],
): boolean {
  if (field === 'labels') return sameLabels(a as string[], b as string[]);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** Trims and checks every field present; throws one validation error naming each bad field. */
function normalize(changes: TaskChanges): TaskChanges {
  const normalized: TaskChanges = { ...changes, title: changes.title?.trim() };
  const fields: FieldErrors = {};
  if (normalized.title !== undefined) fields.title = textErrors(normalized.title, TITLE_MAX, true);
  if (changes.description !== undefined)
    fields.description = textErrors(changes.description, DESCRIPTION_MAX, false);
  if (changes.status !== undefined && !TASK_STATUSES.includes(changes.status))
    fields.status = [`"${changes.status}" is not a valid choice.`];
  if (changes.dueAt !== undefined) fields.due_at = dueAtErrors(changes.dueAt);
  if (changes.priority !== undefined && !isPriority(changes.priority))
    fields.priority = [`"${changes.priority}" is not a valid choice.`];
  if (changes.labels !== undefined) {
    const labels = normalizeLabels(changes.labels);
    if (Array.isArray(labels)) normalized.labels = labels;
    else fields.labels = labels.errors;
  }
  throwIfInvalid(fields);
  return normalized;
}

/** `assigned_to` names no user that may be assigned a task. */
export const unknownAssignee = (id: number) =>
  fieldError('assigned_to', `Invalid pk "${id}" - object does not exist.`);

export function draftTask(
  input: Pick<TaskFields, 'title'> & Partial<TaskFields>,
  creator: Actor,
  now: Date,
): { draft: TaskDraft; completed: boolean; history: HistoryRecord } {
  const fields = normalize(input) as Pick<TaskFields, 'title'> & TaskChanges;
  const status = fields.status ?? 'pending';
  const completed = status === 'completed';
  const draft: TaskDraft = {
    title: fields.title,
    description: fields.description ?? '',
    status,
    assignedTo: fields.assignedTo ?? null,
    projectId: fields.projectId ?? null,
    dueAt: fields.dueAt ?? null,
    priority: fields.priority ?? DEFAULT_PRIORITY,
    labels: fields.labels ?? [],
    createdBy: creator.id,
    createdAt: now,
    updatedAt: now,
    completedAt: completed ? now : null,
    version: 1,
  };
  // A new task's fields had no value before: each is recorded as changed from null.
  const history: HistoryRecord = {
    actorId: creator.id,
    at: now,
    action: 'created',
    changes: fieldChanges(WRITABLE, {}, draft),
  };
  return { draft, completed, history };
}

export class Task extends Entity<TaskProps>() {
  rightsOf(actor: Actor, role: ProjectRole | null = null): TaskRights {
    return taskRights(this, actor, role);
  }

  assertVisibleTo(actor: Actor, role: ProjectRole | null = null): void {
    if (!this.rightsOf(actor, role).sees) throw notFound('Task');
  }

  change(
    requested: TaskChanges,
    actor: Actor,
    now: Date,
    role: ProjectRole | null = null,
  ): ChangeOutcome {
    const rights = this.rightsOf(actor, role);
    if (!rights.sees) throw notFound('Task');
    const changes = normalize(requested);
    // A field sent with its current value is no change: clients PUT back what they GET.
    const changed = WRITABLE.filter(
      (field) => changes[field] !== undefined && !sameValue(field, changes[field], this[field]),
    );
    if (changed.length === 0) return { changed, completed: false, history: null };
    if (!rights.changesAnything) {
      if (!rights.changesStatus) throw forbidden('You do not have permission to change this task.');
      if (changed.some((field) => field !== 'status'))
        throw forbidden('The assignee of a task may change only its status.');
    }

    const before: TaskChanges = Object.fromEntries(changed.map((field) => [field, this[field]]));
    Object.assign(this, Object.fromEntries(changed.map((field) => [field, changes[field]])));
    const completed = before.status === 'pending' && this.status === 'completed';
    const reopened = before.status === 'completed' && this.status === 'pending';
    Object.assign(this, {
      completedAt: completed ? now : this.status === 'pending' ? null : this.completedAt,
      updatedAt: now,
      version: this.version + 1,
    });
    const history: HistoryRecord = {
      actorId: actor.id,
      at: now,
      action: completed ? 'completed' : reopened ? 'reopened' : 'updated',
      changes: fieldChanges(changed, before, this),
    };
    return { changed, completed, history };
  }

  assertCommentableBy(actor: Actor, role: ProjectRole | null = null): void {
    const rights = this.rightsOf(actor, role);
    if (!rights.sees) throw notFound('Task');
    if (!rights.comments) throw forbidden('You do not have permission to comment on this task.');
  }

  assertDeletableBy(actor: Actor, role: ProjectRole | null = null): void {
    const rights = this.rightsOf(actor, role);
    if (!rights.sees) throw notFound('Task');
    if (!rights.deletes)
      throw forbidden(
        "Only the task's creator, its project's editors and owners, and staff may delete it.",
      );
  }
}
