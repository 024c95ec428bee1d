import { Entity } from './entity.ts';
import { conflict, type FieldErrors, fieldError, throwIfInvalid } from './errors.ts';
import { type ProjectRole, projectRights } from './rights.ts';
import { DESCRIPTION_MAX, textErrors } from './task.ts';
import type { Actor } from './user.ts';

export const PROJECT_NAME_MAX = 100;

/** What a client may write. */
export interface ProjectFields {
  name: string;
  description: string;
  archived: boolean;
}

export type ProjectChanges = Partial<ProjectFields>;

export interface ProjectProps extends ProjectFields {
  id: number;
  /** The owner the representation names: the longest-standing one, kept so by the use cases. */
  ownerId: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type ProjectDraft = Omit<ProjectProps, 'id'>;

const WRITABLE = [
  'name',
  'description',
  'archived',
] as const satisfies readonly (keyof ProjectFields)[];

function normalize(changes: ProjectChanges): ProjectChanges {
  const normalized: ProjectChanges = { ...changes, name: changes.name?.trim() };
  const fields: FieldErrors = {};
  if (normalized.name !== undefined)
    fields.name = textErrors(normalized.name, PROJECT_NAME_MAX, true);
  if (changes.description !== undefined)
    fields.description = textErrors(changes.description, DESCRIPTION_MAX, false);
  throwIfInvalid(fields);
  return normalized;
}

/** A new project: its creator is its first owner. */
export function draftProject(
  input: Pick<ProjectFields, 'name'> & Partial<ProjectFields>,
  creator: Actor,
  now: Date,
): ProjectDraft {
  const fields = normalize(input) as Pick<ProjectFields, 'name'> & ProjectChanges;
  return {
    name: fields.name,
    description: fields.description ?? '',
    archived: fields.archived ?? false,
    ownerId: creator.id,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** A project named by a task's `project` that the caller may not put tasks in, or cannot see. */
export const unknownProject = (id: number) =>
  fieldError('project', `Invalid pk "${id}" - object does not exist.`);

export const lastOwner = () =>
  conflict('last_owner', 'A project must keep at least one owner: make someone else owner first.');

export const projectNotEmpty = () =>
  conflict('project_not_empty', 'The project still holds tasks: move or delete them first.');

export class Project extends Entity<ProjectProps>() {
  /** Applies the changes that differ from the current values; returns whether any did. */
  change(requested: ProjectChanges, now: Date): boolean {
    const changes = normalize(requested);
    const changed = WRITABLE.filter(
      (field) => changes[field] !== undefined && changes[field] !== this[field],
    );
    if (changed.length === 0) return false;
    Object.assign(this, Object.fromEntries(changed.map((field) => [field, changes[field]])));
    this.#touch(now);
    return true;
  }

  /** Names another owner once the one named stops being one. */
  handOver(ownerId: number, now: Date): void {
    if (ownerId === this.ownerId) return;
    Object.assign(this, { ownerId });
    this.#touch(now);
  }

  /**
   * Throws unless `actor`, whose role here is `role`, may create tasks in the project or move
   * tasks into it: a project the actor cannot see is an unknown id.
   */
  assertTakesTasksFrom(actor: Actor, role: ProjectRole | null): void {
    if (!projectRights(actor, role).sees) throw unknownProject(this.id);
    if (!projectRights(actor, role).placesTasks)
      throw fieldError('project', 'Only editors and owners of a project may put tasks in it.');
    if (this.archived)
      throw fieldError('project', 'This project is archived and takes no new tasks.');
  }

  #touch(now: Date): void {
    Object.assign(this, { updatedAt: now, version: this.version + 1 });
  }
}

/** Moving a task out of a project needs the same rights as putting one in. */
export function assertReleasesTasks(actor: Actor, role: ProjectRole | null): void {
  if (!projectRights(actor, role).placesTasks)
    throw fieldError('project', "Only editors and owners of the task's project may move it out.");
}

export interface MembershipProps {
  projectId: number;
  userId: number;
  role: ProjectRole;
  addedAt: Date;
}

/**
 * Whether a change of members leaves the project an owner: `owners` are the current owners'
 * ids, `userId` the member whose role becomes `role` (null: who leaves or is removed).
 */
export function assertOwnerRemains(
  owners: readonly number[],
  userId: number,
  role: ProjectRole | null,
): void {
  if (role !== 'owner' && owners.length === 1 && owners[0] === userId) throw lastOwner();
}
