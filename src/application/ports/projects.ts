import type { MembershipProps, Project, ProjectDraft } from '../../domain/project.ts';
import type { ProjectRole } from '../../domain/rights.ts';
import type { Actor } from '../../domain/user.ts';

export interface UserRef {
  id: number;
  username: string;
}

/** A project as one caller reads it: with the owner it names and the caller's own role. */
export interface ProjectView {
  project: Project;
  owner: UserRef;
  /** The caller's role; null when they are not a member (staff). */
  role: ProjectRole | null;
}

export interface ProjectQuery {
  /** Staff list every project; anyone else the projects they are a member of. */
  viewer: Actor;
  /** Case-insensitive substring of the name. */
  search?: string;
  archived?: boolean;
  afterId?: number;
  limit: number;
}

/**
 * Inside a unit of work, `lock` holds the project's row until the transaction ends: `update`
 * for a change of the project or of its members (one at a time, so the last owner cannot be
 * removed twice at once), `share` for a task written into it (so it cannot be deleted or
 * archived under the write). Outside one there is nothing to hold it for: a plain read.
 */
export type RowLock = 'update' | 'share';

export interface ProjectRepository {
  /** The project as `viewerId` reads it, whether or not they may see it; null if none. */
  find(id: number, viewerId: number, lock?: RowLock): Promise<ProjectView | null>;
  add(draft: ProjectDraft): Promise<Project>;
  /** Stores the project if its stored version is still `expectedVersion`; false otherwise. */
  update(project: Project, expectedVersion: number): Promise<boolean>;
  /**
   * Deletes the project and its memberships if its stored version is still `expectedVersion`;
   * false otherwise. Throws the domain's `projectNotEmpty` while it holds a task.
   */
  remove(id: number, expectedVersion: number): Promise<boolean>;
  /** Whether any task belongs to the project. */
  holdsTasks(id: number): Promise<boolean>;
  /** One keyset page by ascending id. */
  list(query: ProjectQuery): Promise<ProjectView[]>;
  /** How many projects exist, archived or not. */
  count(): Promise<number>;
}

export interface Member {
  user: UserRef;
  role: ProjectRole;
  addedAt: Date;
}

/**
 * Who belongs to which project. Inside a unit of work `roleOf` also holds the membership's row,
 * so a member cannot be removed while a write that counted on them is under way.
 */
export interface MembershipRepository {
  roleOf(projectId: number, userId: number): Promise<ProjectRole | null>;
  /** Adds the member, or changes their role keeping when they were added. */
  put(membership: MembershipProps): Promise<void>;
  /** Removes the member; false when they were not one. */
  remove(projectId: number, userId: number): Promise<boolean>;
  /** The owners' ids, longest-standing first. */
  owners(projectId: number): Promise<number[]>;
  member(projectId: number, userId: number): Promise<Member | null>;
  /** One keyset page of the members by ascending user id. */
  list(projectId: number, page: { afterUserId?: number; limit: number }): Promise<Member[]>;
}
