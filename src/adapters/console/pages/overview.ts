import type { Hono } from 'hono';
import { html } from 'hono/html';
import { getOverview } from '../../../application/overview/get-overview.ts';
import { type ConsoleEnv, type ConsolePages, page } from '../context.ts';
import { age } from '../views.ts';

const stat = (count: number | string, label: string, href: string) =>
  html`<li><a href="${href}"><strong>${count}</strong> ${label}</a></li>`;

export function overviewPage(app: Hono<ConsoleEnv>, { deps }: ConsolePages) {
  app.get('/admin/', async (c) => {
    const overview = await getOverview(deps, { actor: c.var.actor });
    const { pending, dead, oldestPendingAt } = overview.outbox;
    return page(
      c,
      'Overview',
      html`<ul class="stats">
        ${stat(overview.users, 'users', '/admin/users/')}
        ${stat(overview.tasks, 'tasks', '/admin/tasks/')}
        ${stat(overview.projects, 'projects', '/admin/projects/')}
        ${stat(pending, 'notifications pending', '/admin/notifications/?state=pending')}
        ${stat(
          oldestPendingAt ? age(oldestPendingAt, deps.clock.now()) : '—',
          'age of the oldest pending notification',
          '/admin/notifications/?state=pending',
        )}
        ${stat(dead, 'notifications dead', '/admin/notifications/?state=dead')}
      </ul>`,
    );
  });
}
