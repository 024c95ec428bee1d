// A scratch database holding a million tasks, for scripts/explain-keyset.ts and `npm run bench`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from '../src/adapters/persistence/embedded-postgres.ts';
import { openOrm } from '../src/adapters/persistence/mikro-orm/orm.ts';

export const TASKS = 1_000_000;
export const USERS = 1_000;
export const PROJECTS = 200;
/** The user who is a member (an editor) of MEMBER_PROJECTS of the projects. */
export const MEMBER = 2;
export const MEMBER_PROJECTS = 20;

export interface ScratchDatabase {
  url: string;
  dispose(): Promise<void>;
}

/**
 * A database to fill and throw away: one created for the run on `given`'s server, or else a
 * throwaway embedded PostgreSQL in a temporary directory. `durable` keeps the embedded one's
 * commits flushed to disk as a production server's are.
 */
export async function scratchDatabase(options: {
  given: string | undefined;
  label: string;
  durable?: boolean;
}): Promise<ScratchDatabase> {
  const { given, label } = options;
  if (given) {
    const name = `task_api_${label}_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const orm = await openOrm(given, { poolSize: 1 });
      await orm.em
        .fork()
        .execute(sql)
        .finally(() => orm.close(true));
    };
    await admin(`create database ${name}`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    return { url: url.toString(), dispose: () => admin(`drop database ${name} with (force)`) };
  }
  const dataDir = await mkdtemp(join(tmpdir(), `task-api-${label}-`));
  try {
    const server = await startEmbeddedPostgres({ dataDir, throwaway: !options.durable });
    return {
      url: server.url,
      async dispose() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

// One statement each: users, projects and their members, then a million tasks from
// generate_series. User 1 is staff, the others are not; each project has an owner of its own
// (users 3 to 202), and user 2 is an editor of every tenth project. Titles are hex digests
// (random order), one task in three is pending, one in five unassigned, one in two in a project
// (2,500 tasks each, so user 2's projects hold 50,000), one per 30 s of history. Three in four are
// due at some hour of 2025–2026 (the rest undated), priorities spread evenly; every task has
// one of 10 team labels (10% each) and one of 1,000 tags (0.1% each), so the label filter is
// tried common and rare.
const LOAD = [
  // `user<n>` is its own identity key: ASCII lower case, nothing for NFKC or case folding to do.
  `insert into users (username, username_key, password_hash, is_staff, date_joined)
   select 'user' || g, 'user' || g, '-', g = 1, timestamptz '2024-01-01'
   from generate_series(1, ${USERS}) g`,
  `insert into projects (name, owner_id, created_at, updated_at, version)
   select 'Project ' || g, 2 + g, timestamptz '2024-01-01', timestamptz '2024-01-01', 1
   from generate_series(1, ${PROJECTS}) g`,
  `insert into memberships (project_id, user_id, role, added_at)
   select id, owner_id, 'owner', created_at from projects
   union all
   select id, ${MEMBER}, 'editor', created_at from projects
   where id % ${PROJECTS / MEMBER_PROJECTS} = 0`,
  `insert into tasks (title, description, status, assigned_to, created_by, project_id,
                      created_at, updated_at, completed_at, version,
                      due_at, priority, labels, label_keys)
   select 'Task ' || substr(md5(g::text), 1, 16), '',
          case when g % 3 = 0 then 'pending' else 'completed' end,
          case when g % 5 = 0 then null else 1 + (g * 7919) % ${USERS} end,
          1 + (g * 104729) % ${USERS},
          case when g % 2 = 0 then 1 + (g / 2) % ${PROJECTS} end,
          timestamptz '2024-01-01' + g * interval '30 seconds',
          timestamptz '2024-01-01' + g * interval '30 seconds'
            + ((g * 6151) % 86400000) * interval '1 millisecond',
          case when g % 3 = 0 then null
               else timestamptz '2024-01-01' + g * interval '30 seconds' + interval '1 hour' end,
          1,
          case when g % 4 = 0 then 'infinity'
               else timestamptz '2025-01-01' + ((g * 7727) % 17520) * interval '1 hour' end,
          (g * 31) % 5,
          array['Team' || g % 10, 'Tag' || (g * 613) % 1000],
          array['team' || g % 10, 'tag' || (g * 613) % 1000]
   from generate_series(1::bigint, ${TASKS}) g`,
  'vacuum analyze users',
  'vacuum analyze projects',
  'vacuum analyze memberships',
  'vacuum analyze tasks',
];

/** Fills a migrated, empty database with USERS users, PROJECTS projects and TASKS tasks. */
export async function loadTasks(em: EntityManager): Promise<void> {
  for (const statement of LOAD) await em.execute(statement);
}
