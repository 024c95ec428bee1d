import type { Hono } from 'hono';
import { html } from 'hono/html';
import { discardDeadEvent } from '../../../application/notifications/discard-dead-event.ts';
import { listEvents } from '../../../application/notifications/list-events.ts';
import { retryDeadEvent } from '../../../application/notifications/retry-dead-event.ts';
import type { OutboxKey, OutboxState } from '../../../application/ports/outbox-queue.ts';
import { LIMIT_DEFAULT } from '../../http/fields.ts';
import { type ConsoleEnv, type ConsolePages, page, viewerOf } from '../context.ts';
import { actionForm, instant, notice } from '../views.ts';

const STATES = ['pending', 'dead'] as const satisfies readonly OutboxState[];
const CURSOR = (state: OutboxState) => `console events ${state}`;

const NOTICES: Record<string, string> = {
  retried: 'The event is pending again; the dispatcher will deliver it.',
  discarded: 'The event was discarded.',
};

export function notificationPages(app: Hono<ConsoleEnv>, { deps, cursors }: ConsolePages) {
  app.get('/admin/notifications/', async (c) => {
    const asked = c.req.query('state');
    const state: OutboxState = asked === 'dead' ? 'dead' : 'pending';
    const cursor = c.req.query('cursor');
    const result = await listEvents(deps, {
      actor: c.var.actor,
      state,
      after: cursor ? (cursors.decode(CURSOR(state), cursor) as OutboxKey) : undefined,
      limit: LIMIT_DEFAULT,
    });
    const viewer = viewerOf(c);
    const done = c.req.query('done');
    return page(
      c,
      `Notifications: ${state}`,
      html`${notice(done && NOTICES[done])}
        <nav aria-label="Notification states">
          <ul>
            ${STATES.map((each) =>
              each === state
                ? html`<li aria-current="page">${each}</li>`
                : html`<li><a href="?state=${each}">${each}</a></li>`,
            )}
          </ul>
        </nav>
        <table>
          <thead><tr><th>Event</th><th>Task</th><th>Assigned to</th><th>Completed by</th><th>Completed</th><th>Attempts</th><th>${state === 'dead' ? 'Given up' : 'Next attempt'}</th><th>Last error</th>${state === 'dead' ? html`<th>Actions</th>` : ''}</tr></thead>
          <tbody>
            ${result.items.map((entry) => {
              const id = entry.event.eventId;
              return html`<tr>
                <td><code>${id}</code></td>
                <td><a href="/admin/tasks/${entry.event.taskId}/">${entry.event.taskId}</a> ${entry.event.taskTitle}</td>
                <td>${entry.event.assignedTo}</td>
                <td>${entry.event.completedBy}</td>
                <td>${instant(entry.event.completedAt)}</td>
                <td>${entry.attempts}</td>
                <td>${state === 'dead' ? '—' : instant(entry.nextAttemptAt)}</td>
                <td>${entry.lastError ?? '—'}</td>
                ${
                  state === 'dead'
                    ? html`<td>
                        ${actionForm(viewer, `/admin/notifications/${id}/retry/`, 'Retry')}
                        ${actionForm(viewer, `/admin/notifications/${id}/discard/`, 'Discard')}
                      </td>`
                    : ''
                }
              </tr>`;
            })}
          </tbody>
        </table>
        ${result.items.length === 0 ? html`<p>No ${state} notification.</p>` : ''}
        ${
          result.next === null
            ? ''
            : html`<p><a rel="next" href="?${new URLSearchParams({
                state,
                cursor: cursors.encode(CURSOR(state), result.next),
              })}">Next page</a></p>`
        }`,
    );
  });

  app.post('/admin/notifications/:id/retry/', async (c) => {
    await retryDeadEvent(deps, { actor: c.var.actor, eventId: c.req.param('id') });
    return c.redirect('/admin/notifications/?state=dead&done=retried', 303);
  });

  app.post('/admin/notifications/:id/discard/', async (c) => {
    await discardDeadEvent(deps, { actor: c.var.actor, eventId: c.req.param('id') });
    return c.redirect('/admin/notifications/?state=dead&done=discarded', 303);
  });
}
