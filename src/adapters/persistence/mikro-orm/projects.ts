import { ForeignKeyConstraintViolationException, type QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type {
  Member,
  MembershipRepository,
  ProjectRepository,
  ProjectView,
} from '../../../application/ports/projects.ts';
import { Project, type ProjectProps, projectNotEmpty } from '../../../domain/project.ts';
import type { ProjectRole } from '../../../domain/rights.ts';
import { boolean, type EntityRow, integer, table, text, timestamp } from './columns.ts';
import { likePattern } from './like-pattern.ts';
import { hasNulCharacter } from './nul-characters.ts';

const projectTable = table<ProjectProps>('projects', {
  id: integer(),
  name: text(),
  description: text(),
  ownerId: integer(),
  archived: boolean(),
  createdAt: timestamp(),
  updatedAt: timestamp(),
  version: integer(),
});

type ViewRow = EntityRow & { owner_username: string; role: ProjectRole | null };

// The project, the username of the owner it names and the viewer's role, in one statement.
const VIEW = `select ${projectTable.entity('p.')}, o.username as owner_username, m.role
  from projects p join users o on o.id = p.owner_id
  left join memberships m on m.project_id = p.id and m.user_id = ?`;

const LOCKS = { update: ' for update of p', share: ' for share of p' } as const;

/** Projects over PostgreSQL, in plain SQL from their column map, as tasks are. */
export function mikroOrmProjects(em: () => EntityManager): ProjectRepository {
  const views = async (sql: string, params: unknown[]): Promise<ProjectView[]> => {
    const rows = await em().execute<ViewRow[]>(sql, params);
    return rows.map((row) => {
      const project = new Project(projectTable.fromRow(row));
      return {
        project,
        owner: { id: project.ownerId, username: row.owner_username },
        role: row.role,
      };
    });
  };
  const changed = async (sql: string, params: unknown[]) =>
    (await em().execute<QueryResult>(sql, params, 'run')).affectedRows === 1;
  return {
    async find(id, viewerId, lock) {
      const held = lock && em().isInTransaction() ? LOCKS[lock] : '';
      const [view] = await views(`${VIEW} where p.id = ?${held}`, [viewerId, id]);
      return view ?? null;
    },
    async add(draft) {
      const { sql, params } = projectTable.insert(draft);
      const [row] = await em().execute<{ id: number }[]>(sql, params);
      return new Project({ ...draft, id: (row as { id: number }).id });
    },
    update(project, expectedVersion) {
      const { sql, params } = projectTable.update(project, {
        sql: 'id = ? and version = ?',
        params: [project.id, expectedVersion],
      });
      return changed(sql, params);
    },
    async remove(id, expectedVersion) {
      try {
        return await changed('delete from projects where id = ? and version = ?', [
          id,
          expectedVersion,
        ]);
      } catch (error) {
        // A task written into the project since the caller looked.
        if (error instanceof ForeignKeyConstraintViolationException) throw projectNotEmpty();
        throw error;
      }
    },
    async holdsTasks(id) {
      const rows = await em().execute('select 1 from tasks where project_id = ? limit 1', [id]);
      return rows.length > 0;
    },
    async count() {
      const [row] = await em().execute<{ count: number }[]>(
        'select count(*)::integer as count from projects',
      );
      return row?.count ?? 0;
    },
    async list(query) {
      const { viewer } = query;
      if (query.search && hasNulCharacter(query.search)) return [];
      const conditions = ['p.id > ?'];
      const params: unknown[] = [viewer.id, query.afterId ?? 0];
      if (!viewer.isStaff) conditions.push('m.user_id is not null');
      if (query.archived !== undefined) {
        conditions.push('p.archived = ?');
        params.push(query.archived);
      }
      if (query.search) {
        conditions.push('p.name ilike ?');
        params.push(likePattern(query.search));
      }
      return views(`${VIEW} where ${conditions.join(' and ')} order by p.id limit ?`, [
        ...params,
        query.limit,
      ]);
    },
  };
}

interface MemberRow {
  user_id: number;
  username: string;
  role: ProjectRole;
  added_at: string;
}

const MEMBER = `select m.user_id, u.username, m.role, m.added_at
  from memberships m join users u on u.id = m.user_id`;

export function mikroOrmMemberships(em: () => EntityManager): MembershipRepository {
  const members = async (sql: string, params: unknown[]): Promise<Member[]> => {
    const manager = em();
    const rows = await manager.execute<MemberRow[]>(sql, params);
    return rows.map((row) => ({
      user: { id: row.user_id, username: row.username },
      role: row.role,
      addedAt: manager.getPlatform().parseDate(row.added_at),
    }));
  };
  return {
    async roleOf(projectId, userId) {
      const manager = em();
      // Held until the write that counted on the membership commits; a removal waits for it.
      const lock = manager.isInTransaction() ? ' for share' : '';
      const [row] = await manager.execute<{ role: ProjectRole }[]>(
        `select role from memberships where project_id = ? and user_id = ?${lock}`,
        [projectId, userId],
      );
      return row?.role ?? null;
    },
    async put(membership) {
      await em().execute(
        `insert into memberships (project_id, user_id, role, added_at) values (?, ?, ?, ?)
         on conflict (project_id, user_id) do update set role = excluded.role`,
        [membership.projectId, membership.userId, membership.role, membership.addedAt],
      );
    },
    async remove(projectId, userId) {
      const result = await em().execute<QueryResult>(
        'delete from memberships where project_id = ? and user_id = ?',
        [projectId, userId],
        'run',
      );
      return result.affectedRows === 1;
    },
    async owners(projectId) {
      const rows = await em().execute<{ user_id: number }[]>(
        `select user_id from memberships where project_id = ? and role = 'owner'
         order by added_at, user_id`,
        [projectId],
      );
      return rows.map((row) => row.user_id);
    },
    async member(projectId, userId) {
      const [found] = await members(`${MEMBER} where m.project_id = ? and m.user_id = ?`, [
        projectId,
        userId,
      ]);
      return found ?? null;
    },
    list: (projectId, page) =>
      members(`${MEMBER} where m.project_id = ? and m.user_id > ? order by m.user_id limit ?`, [
        projectId,
        page.afterUserId ?? 0,
        page.limit,
      ]),
  };
}
