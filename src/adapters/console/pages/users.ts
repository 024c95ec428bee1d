import type { Hono } from 'hono';
import { html } from 'hono/html';
import { changeUserStatus } from '../../../application/accounts/change-user-status.ts';
import { getAccount } from '../../../application/accounts/get-account.ts';
import { listAccounts } from '../../../application/accounts/list-accounts.ts';
import { setUserPassword } from '../../../application/accounts/set-user-password.ts';
import type { User } from '../../../domain/user.ts';
import { LIMIT_DEFAULT, pathId } from '../../http/fields.ts';
import {
  type ConsoleContext,
  type ConsoleEnv,
  type ConsolePages,
  field,
  page,
  submit,
  viewerOf,
} from '../context.ts';
import {
  actionForm,
  csrfField,
  type FormState,
  fieldErrors,
  formErrors,
  inputField,
  instant,
  layout,
  listEnd,
  notice,
} from '../views.ts';

const USERS_CURSOR = 'console users';
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

const NOTICES: Record<string, string> = {
  status: 'The account’s status was changed.',
  password: 'The password was set; the account’s sessions have ended.',
};

function userPage(c: ConsoleContext, user: User, state: FormState = {}) {
  const viewer = viewerOf(c);
  const base = `/admin/users/${user.id}`;
  return layout(
    `User ${user.username}`,
    viewer,
    html`${notice(NOTICES[c.req.query('done') ?? ''])}
      ${formErrors(state.errors, ['is_active', 'is_staff', 'new_password'])}
      <dl>
        <dt>Id</dt><dd>${user.id}</dd>
        <dt>E-mail</dt><dd>${user.email || '—'}</dd>
        <dt>Joined</dt><dd>${instant(user.dateJoined)}</dd>
        <dt>Active</dt><dd>${yesNo(user.isActive)}</dd>
        <dt>Staff</dt><dd>${yesNo(user.isStaff)}</dd>
      </dl>
      <h2>Status</h2>
      <p>
        ${actionForm(viewer, `${base}/status/`, user.isActive ? 'Deactivate' : 'Activate', {
          is_active: String(!user.isActive),
        })}
        ${fieldErrors('is_active', state.errors)}
      </p>
      <p>
        ${actionForm(
          viewer,
          `${base}/status/`,
          user.isStaff ? 'Remove staff status' : 'Make staff',
          {
            is_staff: String(!user.isStaff),
          },
        )}
        ${fieldErrors('is_staff', state.errors)}
      </p>
      <h2>Set a password</h2>
      <form method="post" action="${base}/password/">
        ${csrfField(viewer.csrf)}
        ${inputField({
          name: 'new_password',
          label: 'New password',
          type: 'password',
          required: true,
          autocomplete: 'new-password',
          state: { errors: state.errors },
        })}
        <p><button type="submit">Set password</button></p>
      </form>
      <p><a href="/admin/users/">All users</a></p>`,
  );
}

/** A form's "true" or "false"; anything else changes nothing. */
const flag = (text: string) => (text === 'true' ? true : text === 'false' ? false : undefined);

export function userPages(app: Hono<ConsoleEnv>, { deps, cursors, clientIp }: ConsolePages) {
  app.get('/admin/users/', async (c) => {
    const search = c.req.query('search') || undefined;
    const cursor = c.req.query('cursor');
    const result = await listAccounts(deps, {
      actor: c.var.actor,
      search,
      afterId: cursor ? (cursors.decode(USERS_CURSOR, cursor) as number) : undefined,
      limit: LIMIT_DEFAULT,
    });
    const next =
      result.next === null
        ? null
        : new URLSearchParams({
            ...(search && { search }),
            cursor: cursors.encode(USERS_CURSOR, result.next),
          });
    return page(
      c,
      'Users',
      html`<form method="get" action="/admin/users/" role="search" class="filters">
          ${inputField({ name: 'search', label: 'Username contains', value: search, type: 'search' })}
          <p><button type="submit">Search</button></p>
        </form>
        <table>
          <thead><tr><th>Id</th><th>Username</th><th>E-mail</th><th>Active</th><th>Staff</th><th>Joined</th></tr></thead>
          <tbody>
            ${result.items.map(
              (user) => html`<tr>
                <td>${user.id}</td>
                <td><a href="/admin/users/${user.id}/">${user.username}</a></td>
                <td>${user.email}</td>
                <td>${yesNo(user.isActive)}</td>
                <td>${yesNo(user.isStaff)}</td>
                <td>${instant(user.dateJoined)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        ${listEnd(result.items.length, 'No user matches.', next)}`,
    );
  });

  const account = (c: ConsoleContext) =>
    getAccount(deps, { actor: c.var.actor, id: pathId(c, 'id', 'User') });

  app.get('/admin/users/:id/', async (c) => c.html(userPage(c, await account(c))));

  app.post('/admin/users/:id/status/', async (c) => {
    const user = await account(c);
    return submit(
      c,
      async () => {
        await changeUserStatus(deps, {
          actor: c.var.actor,
          id: user.id,
          changes: { isActive: flag(field(c, 'is_active')), isStaff: flag(field(c, 'is_staff')) },
        });
        return c.redirect(`/admin/users/${user.id}/?done=status`, 303);
      },
      (state) => userPage(c, user, state),
    );
  });

  app.post('/admin/users/:id/password/', async (c) => {
    const user = await account(c);
    return submit(
      c,
      async () => {
        await setUserPassword(deps, {
          actor: c.var.actor,
          id: user.id,
          newPassword: field(c, 'new_password'),
          request: { client: clientIp(c), signal: c.req.raw.signal },
        });
        return c.redirect(`/admin/users/${user.id}/?done=password`, 303);
      },
      (state) => userPage(c, user, state),
    );
  });
}
