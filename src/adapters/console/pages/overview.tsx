import type { Hono } from 'hono';
import { getOverview } from '../../../application/overview/get-overview.ts';
import { type ConsoleEnv, type ConsolePages, viewerOf } from '../context.ts';
import { age, Layout } from '../views.tsx';

const Stat = ({ count, label, href }: { count: number | string; label: string; href: string }) => (
  <li>
    <a href={href}>
      <strong>{count}</strong> {label}
    </a>
  </li>
);

export function overviewPage(app: Hono<ConsoleEnv>, { deps }: ConsolePages) {
  app.get('/admin/', async (c) => {
    const overview = await getOverview(deps, { actor: c.var.actor });
    const { pending, dead, oldestPendingAt } = overview.outbox;
    return c.html(
      <Layout title="Overview" viewer={viewerOf(c)}>
        <ul class="stats">
          <Stat count={overview.users} label="users" href="/admin/users/" />
          <Stat count={overview.tasks} label="tasks" href="/admin/tasks/" />
          <Stat count={overview.projects} label="projects" href="/admin/projects/" />
          <Stat
            count={pending}
            label="notifications pending"
            href="/admin/notifications/?state=pending"
          />
          <Stat
            count={oldestPendingAt ? age(oldestPendingAt, deps.clock.now()) : '—'}
            label="age of the oldest pending notification"
            href="/admin/notifications/?state=pending"
          />
          <Stat count={dead} label="notifications dead" href="/admin/notifications/?state=dead" />
        </ul>
      </Layout>,
    );
  });
}
