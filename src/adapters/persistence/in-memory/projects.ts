import type {
  Member,
  MembershipRepository,
  ProjectRepository,
  ProjectView,
} from '../../../application/ports/projects.ts';
import { Project, type ProjectProps, projectNotEmpty } from '../../../domain/project.ts';
import { type InMemoryDatabase, membershipKey, type UndoLog } from './database.ts';

export function inMemoryProjects(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): ProjectRepository {
  const view = (props: ProjectProps, viewerId: number): ProjectView => ({
    project: new Project({ ...props }),
    owner: { id: props.ownerId, username: db.users.get(props.ownerId)?.username ?? '' },
    role: db.memberships.get(membershipKey(props.id, viewerId))?.role ?? null,
  });
  const versionIs = (id: number, version: number) => db.projects.get(id)?.version === version;
  const holdsTasks = (id: number) => [...db.tasks.values()].some((task) => task.projectId === id);
  return {
    async find(id, viewerId) {
      const props = db.projects.get(id);
      return props ? view(props, viewerId) : null;
    },
    async add(draft) {
      const id = db.nextProjectId++;
      db.put(db.projects, id, { ...draft, id }, undo);
      return new Project({ ...draft, id });
    },
    async update(project, expectedVersion) {
      if (!versionIs(project.id, expectedVersion)) return false;
      db.put(db.projects, project.id, { ...project }, undo);
      return true;
    },
    async remove(id, expectedVersion) {
      if (!versionIs(id, expectedVersion)) return false;
      if (holdsTasks(id)) throw projectNotEmpty();
      for (const [key, membership] of db.memberships)
        if (membership.projectId === id) db.remove(db.memberships, key, undo);
      db.remove(db.projects, id, undo);
      return true;
    },
    holdsTasks: async (id) => holdsTasks(id),
    count: async () => db.projects.size,
    async list(query) {
      const { viewer } = query;
      const needle = query.search?.toLowerCase();
      return [...db.projects.values()]
        .filter(
          (props) =>
            (viewer.isStaff || db.memberships.has(membershipKey(props.id, viewer.id))) &&
            (query.archived === undefined || props.archived === query.archived) &&
            (!needle || props.name.toLowerCase().includes(needle)) &&
            props.id > (query.afterId ?? 0),
        )
        .sort((a, b) => a.id - b.id)
        .slice(0, query.limit)
        .map((props) => view(props, viewer.id));
    },
  };
}

export function inMemoryMemberships(
  db: InMemoryDatabase,
  undo: UndoLog | null = null,
): MembershipRepository {
  const membersOf = (projectId: number) =>
    [...db.memberships.values()].filter((membership) => membership.projectId === projectId);
  const member = (projectId: number, userId: number): Member | null => {
    const membership = db.memberships.get(membershipKey(projectId, userId));
    if (!membership) return null;
    const username = db.users.get(userId)?.username ?? '';
    return { user: { id: userId, username }, role: membership.role, addedAt: membership.addedAt };
  };
  return {
    roleOf: async (projectId, userId) =>
      db.memberships.get(membershipKey(projectId, userId))?.role ?? null,
    async put(membership) {
      const key = membershipKey(membership.projectId, membership.userId);
      const addedAt = db.memberships.get(key)?.addedAt ?? membership.addedAt;
      db.put(db.memberships, key, { ...membership, addedAt }, undo);
    },
    async remove(projectId, userId) {
      const key = membershipKey(projectId, userId);
      if (!db.memberships.has(key)) return false;
      db.remove(db.memberships, key, undo);
      return true;
    },
    async owners(projectId) {
      return membersOf(projectId)
        .filter((membership) => membership.role === 'owner')
        .sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime() || a.userId - b.userId)
        .map((membership) => membership.userId);
    },
    member: async (projectId, userId) => member(projectId, userId),
    async list(projectId, page) {
      return membersOf(projectId)
        .filter((membership) => membership.userId > (page.afterUserId ?? 0))
        .sort((a, b) => a.userId - b.userId)
        .slice(0, page.limit)
        .map((membership) => member(projectId, membership.userId) as Member);
    },
  };
}
