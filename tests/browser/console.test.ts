import { mkdir } from 'node:fs/promises';
import { serve } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { expect, it, onTestFinished, vi } from 'vitest';
import { startDispatcher } from '../../src/application/notifications/dispatcher.ts';
import { recordingNotifier } from '../doubles/recording-notifier.ts';
import { type Harness, harness, PASSWORD } from '../harness.ts';
import { describeWithChromium, openBrowser } from './chromium.ts';

/** Screenshots of every page the test visits: artifacts to look at, never committed. */
const SCREENSHOTS = new URL('./screenshots/', import.meta.url);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function serveApp(h: Harness): Promise<string> {
  const { promise, resolve } = Promise.withResolvers<number>();
  const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    resolve(info.port),
  );
  onTestFinished(() => new Promise((done) => server.close(() => done())));
  return `http://127.0.0.1:${await promise}`;
}

/** The little of a page's globals the functions run in it use (the project has no DOM types). */
interface PageGlobals {
  document: {
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
  reportViolation(line: string): void;
}

async function snapshot(page: Page, name: string) {
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

describeWithChromium('the console in Chromium', () => {
  it('lets staff sign in, manage users, tasks, projects and notifications, with nothing from elsewhere', async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const h = await harness();
    const notifier = recordingNotifier();
    // One attempt only, which fails: the event is dead at once, for the console to retry.
    notifier.failNext(1, 'Lambda invoke failed: ServiceException');
    const dispatcher = startDispatcher(
      { queue: h.queue, notifier, clock: h.clock, log: quiet },
      { maxAttempts: 1 },
    );
    onTestFinished(() => dispatcher.stop());

    const boss = await h.signUp({ staff: true, username: 'boss' });
    const ada = await h.signUp({ username: 'ada' });
    const bob = await h.signUp({ username: 'bob' });
    const garden = await (
      await h.request('POST', '/api/projects/', { token: boss.token, json: { name: 'Garden' } })
    ).json();
    const task = async (title: string, status = 'pending') =>
      (
        await h.request('POST', '/api/tasks/', { token: ada.token, json: { title, status } })
      ).json();
    await task('Water the plants');
    const renamed = await task('Old title');
    const doomed = await task('Throw away');
    const notified = await task('Send the report', 'completed');
    await vi.waitFor(async () => expect((await h.outbox())[0]?.state).toBe('dead'));

    const origin = await serveApp(h);
    const { page, context, requestsElsewhere } = await openBrowser();
    await page.setViewportSize({ width: 1100, height: 700 });
    const nav = page.getByRole('navigation', { name: 'Sections' });
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (line: string) => violations.push(line));
    await page.addInitScript(() => {
      const globals = globalThis as unknown as PageGlobals;
      globals.document.addEventListener('securitypolicyviolation', (event) =>
        globals.reportViolation(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });

    // A visitor is sent to the sign-in form; someone who is not staff is refused there.
    await page.goto(`${origin}/admin/`);
    await page.getByLabel('Username').fill(ada.username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByText('Please enter the correct username and password for a staff account.')
      .waitFor();
    await snapshot(page, 'sign-in-refused');
    await page.getByLabel('Username').fill(boss.username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expect(page.getByRole('link', { name: '1 notifications dead' }).count()).resolves.toBe(1);
    await snapshot(page, 'overview');

    // Find ada, deactivate her: her API log-in fails from then on.
    await nav.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Username contains').fill('ad');
    await page.getByRole('button', { name: 'Search' }).click();
    await snapshot(page, 'users');
    await page.getByRole('link', { name: 'ada', exact: true }).click();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('The account’s status was changed.').waitFor();
    await snapshot(page, 'user');
    const adaLogIn = await h.request('POST', '/api/token/', {
      json: { username: ada.username, password: PASSWORD },
    });
    expect(adaLogIn.status).toBe(400);

    // Edit a task's title: the API shows the change.
    await nav.getByRole('link', { name: 'Tasks' }).click();
    await page.getByLabel('Order by').selectOption('title');
    await page.getByRole('button', { name: 'Filter' }).click();
    await snapshot(page, 'tasks');
    await page.getByRole('link', { name: 'Old title' }).click();
    await page.getByLabel('Title').fill('New title');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The task was saved.').waitFor();
    await page.getByText('"Old title" → "New title"').waitFor();
    await snapshot(page, 'task');
    const edited = await h.request('GET', `/api/tasks/${renamed.id}/`, { token: boss.token });
    expect(await edited.json()).toMatchObject({ title: 'New title', version: 2 });
    const history = await h.request('GET', `/api/tasks/${renamed.id}/history/`, {
      token: boss.token,
    });
    expect((await history.json())[0]).toMatchObject({
      action: 'updated',
      changes: { title: ['Old title', 'New title'] },
    });

    // Delete one, through its confirmation page.
    await page.goto(`${origin}/admin/tasks/${doomed.id}/`);
    await page.getByRole('link', { name: 'Delete this task…' }).click();
    await page.getByText('The task “Throw away” will be deleted for good.').waitFor();
    await snapshot(page, 'task-delete');
    await page.getByRole('button', { name: 'Yes, delete it' }).click();
    await page.getByText(`Task ${doomed.id} was deleted.`).waitFor();
    const gone = await h.request('GET', `/api/tasks/${doomed.id}/`, { token: boss.token });
    expect(gone.status).toBe(404);

    // Add bob to a project as a viewer, then make him an editor: the API shows his role.
    await nav.getByRole('link', { name: 'Projects' }).click();
    await snapshot(page, 'projects');
    await page.getByRole('link', { name: 'Garden' }).click();
    await page.getByLabel('User (id or username)').fill('bob');
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('The member was saved.').waitFor();
    const bobsRow = page.getByRole('row').filter({ hasText: 'Remove bob' });
    await bobsRow.getByLabel('Role of bob').selectOption('editor');
    await bobsRow.getByRole('button', { name: 'Change role' }).click();
    await page.getByText('The member was saved.').waitFor();
    await expect(page.getByLabel('Role of bob').inputValue()).resolves.toBe('editor');
    await snapshot(page, 'project');
    const members = await h.request('GET', `/api/projects/${garden.id}/members/`, {
      token: boss.token,
    });
    expect(
      (await members.json()).map((member: { user: { id: number }; role: string }) => [
        member.user.id,
        member.role,
      ]),
    ).toEqual([
      [boss.id, 'owner'],
      [bob.id, 'editor'],
    ]);

    // Retry the dead event: the dispatcher delivers it to the notifier.
    await nav.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('link', { name: 'dead' }).click();
    await page.getByText('Lambda invoke failed: ServiceException').waitFor();
    await snapshot(page, 'notifications-dead');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('The event is pending again').waitFor();
    await vi.waitFor(() =>
      expect(notifier.delivered.map((event) => event.taskId)).toEqual([notified.id]),
    );

    // A form posted without its CSRF token, with the browser's cookies and Origin: refused.
    const forged = await context.request.post(`${origin}/admin/users/${ada.id}/status/`, {
      form: { is_active: 'true' },
      headers: { Origin: origin },
    });
    expect(forged.status()).toBe(403);
    expect((await h.deps.users.byId(ada.id))?.isActive).toBe(false);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${origin}/admin/tasks/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    expect(requestsElsewhere(origin)).toEqual([]);
    expect(violations).toEqual([]);
  }, 60_000);
});
