import type { Hono } from 'hono';
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
  submit,
  viewerOf,
} from '../context.ts';
import {
  ActionForm,
  CsrfField,
  FieldErrorList,
  FormErrors,
  type FormState,
  InputField,
  Instant,
  Layout,
  ListEnd,
  Notice,
} from '../views.tsx';

const USERS_CURSOR = 'console users';
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

const NOTICES: Record<string, string> = {
  status: 'The account’s status was changed.',
  password: 'The password was set; the account’s sessions have ended.',
};

function userPage(c: ConsoleContext, user: User, state: FormState = {}) {
  const viewer = viewerOf(c);
  const base = `/admin/users/${user.id}`;
  return (
    <Layout title={`User ${user.username}`} viewer={viewer}>
      <Notice text={NOTICES[c.req.query('done') ?? '']} />
      <FormErrors errors={state.errors} fields={['is_active', 'is_staff', 'new_password']} />
      <dl>
        <dt>Id</dt>
        <dd>{user.id}</dd>
        <dt>E-mail</dt>
        <dd>{user.email || '—'}</dd>
        <dt>Joined</dt>
        <dd>
          <Instant date={user.dateJoined} />
        </dd>
        <dt>Active</dt>
        <dd>{yesNo(user.isActive)}</dd>
        <dt>Staff</dt>
        <dd>{yesNo(user.isStaff)}</dd>
      </dl>
      <h2>Status</h2>
      <p>
        <ActionForm
          viewer={viewer}
          action={`${base}/status/`}
          label={user.isActive ? 'Deactivate' : 'Activate'}
          fields={{ is_active: String(!user.isActive) }}
        />
        <FieldErrorList name="is_active" errors={state.errors} />
      </p>
      <p>
        <ActionForm
          viewer={viewer}
          action={`${base}/status/`}
          label={user.isStaff ? 'Remove staff status' : 'Make staff'}
          fields={{ is_staff: String(!user.isStaff) }}
        />
        <FieldErrorList name="is_staff" errors={state.errors} />
      </p>
      <h2>Set a password</h2>
      <form method="post" action={`${base}/password/`}>
        <CsrfField token={viewer.csrf} />
        <InputField
          name="new_password"
          label="New password"
          type="password"
          required
          autocomplete="new-password"
          state={{ errors: state.errors }}
        />
        <p>
          <button type="submit">Set password</button>
        </p>
      </form>
      <p>
        <a href="/admin/users/">All users</a>
      </p>
    </Layout>
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
    const next = result.next === null ? null : cursors.encode(USERS_CURSOR, result.next);
    return c.html(
      <Layout title="Users" viewer={viewerOf(c)}>
        {/* biome-ignore lint/a11y/useSemanticElements: the form itself is the search landmark, in every browser */}
        <form method="get" action="/admin/users/" role="search" class="filters">
          <InputField name="search" label="Username contains" value={search} type="search" />
          <p>
            <button type="submit">Search</button>
          </p>
        </form>
        <table>
          <thead>
            <tr>
              <th>Id</th>
              <th>Username</th>
              <th>E-mail</th>
              <th>Active</th>
              <th>Staff</th>
              <th>Joined</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((user) => (
              <tr>
                <td>{user.id}</td>
                <td>
                  <a href={`/admin/users/${user.id}/`}>{user.username}</a>
                </td>
                <td>{user.email}</td>
                <td>{yesNo(user.isActive)}</td>
                <td>{yesNo(user.isStaff)}</td>
                <td>
                  <Instant date={user.dateJoined} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ListEnd
          count={result.items.length}
          none="No user matches."
          query={search ? { search } : {}}
          next={next}
        />
      </Layout>,
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
