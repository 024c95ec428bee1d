import type { Deps } from '../deps.ts';
import { type Page, toPage } from '../page.ts';
import type { ProjectQuery, ProjectView } from '../ports/projects.ts';

/** The caller's projects (staff: every project), by ascending id. */
export async function listProjects(
  deps: Pick<Deps, 'projects'>,
  query: ProjectQuery,
): Promise<Page<ProjectView, number>> {
  const rows = await deps.projects.list({ ...query, limit: query.limit + 1 });
  return toPage(rows, query.limit, (view) => view.project.id);
}
