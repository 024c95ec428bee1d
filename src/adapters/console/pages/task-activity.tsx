import { listComments } from '../../../application/comments/list-comments.ts';
import type { Deps } from '../../../application/deps.ts';
import { listTaskHistory } from '../../../application/tasks/list-task-history.ts';
import type { Actor } from '../../../domain/user.ts';
import { LIMIT_DEFAULT } from '../../http/fields.ts';
import { Instant } from '../views.tsx';

const shown = (value: unknown) => (value === null ? '—' : JSON.stringify(value));

/** A task's history (newest first) and its comments (oldest first), the latest page of each. */
export async function TaskActivity({
  deps,
  actor,
  taskId,
}: {
  deps: Deps;
  actor: Actor;
  taskId: number;
}) {
  const page = { actor, taskId, limit: LIMIT_DEFAULT };
  const [history, comments] = await Promise.all([
    listTaskHistory(deps, page),
    listComments(deps, page),
  ]);
  return (
    <>
      <h2>History</h2>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Changes</th>
          </tr>
        </thead>
        <tbody>
          {history.items.map(({ entry, actor }) => (
            <tr>
              <td>
                <Instant date={entry.at} />
              </td>
              <td>
                <a href={`/admin/users/${actor.id}/`}>{actor.username}</a>
              </td>
              <td>{entry.action}</td>
              <td>
                {Object.entries(entry.changes).map(([name, [before, after]]) => (
                  <div>
                    <code>{name}</code>: {shown(before)} → {shown(after)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.next !== null && (
        <p>
          Older entries: see <code>/api/tasks/{taskId}/history/</code>.
        </p>
      )}
      <h2>Comments</h2>
      {comments.items.length === 0 && <p>No comment.</p>}
      {comments.items.map(({ comment, author }) => (
        <article class="comment">
          <p>
            <a href={`/admin/users/${author.id}/`}>{author.username}</a>,{' '}
            <Instant date={comment.createdAt} />
          </p>
          <p>{comment.body}</p>
        </article>
      ))}
    </>
  );
}
