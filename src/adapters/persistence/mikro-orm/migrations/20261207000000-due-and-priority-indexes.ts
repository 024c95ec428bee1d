import { Migration } from '@mikro-orm/migrations';

const SIDES = ['created_by', 'assigned_to'];
const ORDERINGS = ['due_at', 'priority'];

/**
 * The indexes a non-staff caller's list needs in due-date and priority order, as the projects
 * migration added for the older orderings: one per side of the union, so each side's page is a
 * range scan from the cursor instead of a sort of all the caller's own tasks, and one per
 * project, index-only for the columns the list filters on. The keys are the columns themselves:
 * an undated task is due at 'infinity' and a priority is stored as its rank.
 */
export class DueAndPriorityIndexes extends Migration {
  override up(): void {
    for (const name of ORDERINGS) {
      for (const side of SIDES)
        this.addSql(`create index tasks_${side}_${name}_id_idx on tasks (${side}, ${name}, id)`);
      this.addSql(
        `create index tasks_project_id_${name}_id_idx on tasks (project_id, ${name}, id) include (status, assigned_to, created_by)`,
      );
    }
  }

  override down(): void {
    for (const name of ORDERINGS)
      for (const side of [...SIDES, 'project_id'])
        this.addSql(`drop index tasks_${side}_${name}_id_idx`);
  }
}
