import type { MigrationObject } from '@mikro-orm/core';
import { InitialSchema } from './20260101000000-initial-schema.ts';
import { UsernameIdentity } from './20261201000000-username-identity.ts';
import { PurgeIndexes } from './20261201000001-purge-indexes.ts';
import { ApiTokens } from './20261202000000-api-tokens.ts';
import { Projects } from './20261203000000-projects.ts';
import { RicherTasks } from './20261204000000-richer-tasks.ts';
import { CommentsAndHistory } from './20261205000000-comments-and-history.ts';
import { StaffSessions } from './20261206000000-staff-sessions.ts';
import { DueAndPriorityIndexes } from './20261207000000-due-and-priority-indexes.ts';

/**
 * Every migration, oldest first. Listed rather than found by globbing, so a bundled build runs
 * them too; the names are what the migrations table records, so they never change.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20260101000000_initial_schema', class: InitialSchema },
  { name: 'Migration20261201000000_username_identity', class: UsernameIdentity },
  { name: 'Migration20261201000001_purge_indexes', class: PurgeIndexes },
  { name: 'Migration20261202000000_api_tokens', class: ApiTokens },
  { name: 'Migration20261203000000_projects', class: Projects },
  { name: 'Migration20261204000000_richer_tasks', class: RicherTasks },
  { name: 'Migration20261205000000_comments_and_history', class: CommentsAndHistory },
  { name: 'Migration20261206000000_staff_sessions', class: StaffSessions },
  { name: 'Migration20261207000000_due_and_priority_indexes', class: DueAndPriorityIndexes },
];
