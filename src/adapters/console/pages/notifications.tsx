import type { Hono } from 'hono';
import { discardDeadEvent } from '../../../application/notifications/discard-dead-event.ts';
import { listEvents } from '../../../application/notifications/list-events.ts';
import { retryDeadEvent } from '../../../application/notifications/retry-dead-event.ts';
import type {
  OutboxEntry,
  OutboxKey,
  OutboxState,
} from '../../../application/ports/outbox-queue.ts';
import { LIMIT_DEFAULT } from '../../http/fields.ts';
import { type ConsoleEnv, type ConsolePages, viewerOf } from '../context.ts';
import { ActionForm, Instant, Layout, ListEnd, Notice } from '../views.tsx';

// Cancelled: reminders withdrawn while a dispatcher was sending them, shown but never acted on.
const STATES = ['pending', 'dead', 'cancelled'] as const satisfies readonly OutboxState[];
const LAST_COLUMN = { pending: 'Next attempt', dead: 'Given up', cancelled: 'Withdrawn' };
const isListed = (state: string | undefined): state is (typeof STATES)[number] =>
  STATES.includes(state as (typeof STATES)[number]);
const CURSOR = (state: OutboxState) => `console events ${state}`;

/** What the event says beyond its task: who completed it when, or when the task is due. */
function Details({ entry: { event } }: { entry: OutboxEntry }) {
  return event.type === 'task.due' ? (
    <>
      due <Instant date={event.dueAt} />
    </>
  ) : (
    <>
      by {event.completedBy} <Instant date={event.completedAt} />
    </>
  );
}

const NOTICES: Record<string, string> = {
  retried: 'The event is pending again; the dispatcher will deliver it.',
  discarded: 'The event was discarded.',
};

export function notificationPages(app: Hono<ConsoleEnv>, { deps, cursors }: ConsolePages) {
  app.get('/admin/notifications/', async (c) => {
    const asked = c.req.query('state');
    const state: OutboxState = isListed(asked) ? asked : 'pending';
    const cursor = c.req.query('cursor');
    const result = await listEvents(deps, {
      actor: c.var.actor,
      state,
      after: cursor ? (cursors.decode(CURSOR(state), cursor) as OutboxKey) : undefined,
      limit: LIMIT_DEFAULT,
    });
    const viewer = viewerOf(c);
    const done = c.req.query('done');
    return c.html(
      <Layout title={`Notifications: ${state}`} viewer={viewer}>
        <Notice text={done && NOTICES[done]} />
        <nav aria-label="Notification states">
          <ul>
            {STATES.map((each) =>
              each === state ? (
                <li aria-current="page">{each}</li>
              ) : (
                <li>
                  <a href={`?state=${each}`}>{each}</a>
                </li>
              ),
            )}
          </ul>
        </nav>
        <table>
          <thead>
            <tr>
              <th>Event</th>
              <th>Type</th>
              <th>Task</th>
              <th>Assigned to</th>
              <th>Details</th>
              <th>Goes out</th>
              <th>Attempts</th>
              <th>{LAST_COLUMN[state]}</th>
              <th>Last error</th>
              {state === 'dead' && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {result.items.map((entry) => {
              const id = entry.event.eventId;
              return (
                <tr>
                  <td>
                    <code>{id}</code>
                  </td>
                  <td>{entry.event.type}</td>
                  <td>
                    <a href={`/admin/tasks/${entry.event.taskId}/`}>{entry.event.taskId}</a>{' '}
                    {entry.event.taskTitle}
                  </td>
                  <td>{entry.event.assignedTo}</td>
                  <td>
                    <Details entry={entry} />
                  </td>
                  <td>
                    <Instant date={entry.createdAt} />
                  </td>
                  <td>{entry.attempts}</td>
                  <td>{state === 'pending' ? <Instant date={entry.nextAttemptAt} /> : '—'}</td>
                  <td>{entry.lastError ?? '—'}</td>
                  {state === 'dead' && (
                    <td>
                      <ActionForm
                        viewer={viewer}
                        action={`/admin/notifications/${id}/retry/`}
                        label="Retry"
                      />{' '}
                      <ActionForm
                        viewer={viewer}
                        action={`/admin/notifications/${id}/discard/`}
                        label="Discard"
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        <ListEnd
          count={result.items.length}
          none={`No ${state} notification.`}
          query={{ state }}
          next={result.next === null ? null : cursors.encode(CURSOR(state), result.next)}
        />
      </Layout>,
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
