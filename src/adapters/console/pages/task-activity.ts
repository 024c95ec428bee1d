import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { listComments } from '../../../application/comments/list-comments.ts';
import type { Deps } from '../../../application/deps.ts';
import { listTaskHistory } from '../../../application/tasks/list-task-history.ts';
import type { Actor } from '../../../domain/user.ts';
import { LIMIT_DEFAULT } from '../../http/fields.ts';
import { instant } from '../views.ts';

const shown = (value: unknown) => (value === null ? '—' : JSON.stringify(value));

/** A task's history (newest first) and its comments (oldest first), the latest page of each. */
export async function taskActivity(
  deps: Deps,
  input: { actor: Actor; taskId: number },
): Promise<HtmlEscapedString> {
  const page = { actor: input.actor, taskId: input.taskId, limit: LIMIT_DEFAULT };
  const [history, comments] = await Promise.all([
    listTaskHistory(deps, page),
    listComments(deps, page),
  ]);
  return await html`<h2>History</h2>
    <table>
      <thead><tr><th>When</th><th>Who</th><th>What</th><th>Changes</th></tr></thead>
      <tbody>
        ${history.items.map(
          ({ entry, actor }) => html`<tr>
            <td>${instant(entry.at)}</td>
            <td><a href="/admin/users/${actor.id}/">${actor.username}</a></td>
            <td>${entry.action}</td>
            <td>${Object.entries(entry.changes).map(
              ([name, [before, after]]) =>
                html`<div><code>${name}</code>: ${shown(before)} → ${shown(after)}</div>`,
            )}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${history.next === null ? '' : html`<p>Older entries: see <code>/api/tasks/${input.taskId}/history/</code>.</p>`}
    <h2>Comments</h2>
    ${comments.items.length === 0 ? html`<p>No comment.</p>` : ''}
    ${comments.items.map(
      ({ comment, author }) => html`<article class="comment">
        <p><a href="/admin/users/${author.id}/">${author.username}</a>, ${instant(comment.createdAt)}</p>
        <p>${comment.body}</p>
      </article>`,
    )}`;
}
