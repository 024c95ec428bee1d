import type { Hono } from 'hono';
import { findAccountByUsername } from '../../../application/accounts/get-account.ts';
import type { Member, ProjectView } from '../../../application/ports/projects.ts';
import { deleteProject } from '../../../application/projects/delete-project.ts';
import { getProject } from '../../../application/projects/get-project.ts';
import { listMembers } from '../../../application/projects/list-members.ts';
import { listProjects } from '../../../application/projects/list-projects.ts';
import { putMember } from '../../../application/projects/put-member.ts';
import { removeMember } from '../../../application/projects/remove-member.ts';
import { updateProject } from '../../../application/projects/update-project.ts';
import { fieldError, throwIfInvalid } from '../../../domain/errors.ts';
import { PROJECT_NAME_MAX } from '../../../domain/project.ts';
import { PROJECT_ROLES, type ProjectRole } from '../../../domain/rights.ts';
import { LIMIT_DEFAULT, pathId } from '../../http/fields.ts';
import {
  MemberBody,
  ProjectListParams,
  ProjectPatchBody,
  projectChanges,
} from '../../http/projects/schemas.ts';
import { SEARCH_MAX } from '../../http/tasks/schemas.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import {
  type ConsoleContext,
  type ConsoleEnv,
  type ConsolePages,
  field,
  formVersion,
  submit,
  viewerOf,
} from '../context.ts';
import {
  ActionForm,
  CsrfField,
  FormErrors,
  type FormState,
  Hidden,
  type Html,
  InputField,
  Instant,
  Layout,
  ListEnd,
  Notice,
  Options,
  SelectField,
  TextareaField,
  type Viewer,
} from '../views.tsx';

const PROJECTS_CURSOR = 'console projects';
const MEMBERS_CURSOR = 'console members';
const FILTERS = ['search', 'archived', 'limit'] as const;
const FORM_FIELDS = ['name', 'description', 'archived', 'user', 'role'];
const ROLE_CHOICES = PROJECT_ROLES.map((role) => [role, role] as const);
const ARCHIVED_CHOICES = [
  ['false', 'open'],
  ['true', 'archived'],
] as const;

const NOTICES: Record<string, string> = {
  saved: 'The project was saved.',
  member: 'The member was saved.',
  removed: 'The member was removed.',
};

const OwnerLink = ({ view: { owner } }: { view: ProjectView }) => (
  <a href={`/admin/users/${owner.id}/`}>{owner.username}</a>
);

function FilterForm({ query, state }: { query: Record<string, string>; state: FormState }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: the form itself is the search landmark, in every browser
    <form method="get" action="/admin/projects/" role="search" class="filters">
      <FormErrors errors={state.errors} fields={FILTERS} />
      <InputField
        name="search"
        label="Name contains"
        value={query.search}
        type="search"
        maxlength={SEARCH_MAX}
        state={state}
      />
      <SelectField
        name="archived"
        label="Archived"
        value={query.archived}
        state={state}
        choices={[['', 'any'], ...ARCHIVED_CHOICES]}
      />
      <InputField name="limit" label="Per page" value={query.limit} type="number" state={state} />
      <p>
        <button type="submit">Filter</button>
      </p>
    </form>
  );
}

/** One page of a project's members, and the query string of the next. */
interface MemberPage {
  items: Member[];
  next: string | null;
}

/** A member's row: their role, changed in place, and their removal. */
function MemberRow({ viewer, base, member }: { viewer: Viewer; base: string; member: Member }) {
  const { user, role, addedAt } = member;
  return (
    <tr>
      <td>
        <a href={`/admin/users/${user.id}/`}>{user.username}</a>
      </td>
      <td>
        <form method="post" action={`${base}/members/${user.id}/`} class="inline">
          <CsrfField token={viewer.csrf} />
          <label for={`role-${user.id}`}>Role of {user.username}</label>{' '}
          <select id={`role-${user.id}`} name="role">
            <Options choices={ROLE_CHOICES} selected={role} />
          </select>{' '}
          <button type="submit">Change role</button>
        </form>
      </td>
      <td>
        <Instant date={addedAt} />
      </td>
      <td>
        <ActionForm
          viewer={viewer}
          action={`${base}/members/${user.id}/remove/`}
          label={`Remove ${user.username}`}
        />
      </td>
    </tr>
  );
}

function projectPage(
  c: ConsoleContext,
  view: ProjectView,
  members: MemberPage,
  state: FormState = {},
): Html {
  const viewer = viewerOf(c);
  const { project } = view;
  const base = `/admin/projects/${project.id}`;
  return (
    <Layout title={`Project ${project.name}`} viewer={viewer}>
      <Notice text={NOTICES[c.req.query('done') ?? '']} />
      <FormErrors errors={state.errors} fields={FORM_FIELDS} />
      <dl>
        <dt>Id</dt>
        <dd>{project.id}</dd>
        <dt>Owner</dt>
        <dd>
          <OwnerLink view={view} />
        </dd>
        <dt>Created</dt>
        <dd>
          <Instant date={project.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Instant date={project.updatedAt} />
        </dd>
        <dt>Version</dt>
        <dd>{project.version}</dd>
      </dl>
      <p>
        <a href={`/admin/tasks/?project=${project.id}`}>Tasks of this project</a>
      </p>
      <h2>Details</h2>
      <form method="post" action={`${base}/`}>
        <CsrfField token={viewer.csrf} />
        <Hidden name="version" value={project.version} />
        <InputField
          name="name"
          label="Name"
          value={project.name}
          required
          maxlength={PROJECT_NAME_MAX}
          state={state}
        />
        <TextareaField
          name="description"
          label="Description"
          value={project.description}
          state={state}
        />
        <SelectField
          name="archived"
          label="Archived"
          value={String(project.archived)}
          state={state}
          choices={ARCHIVED_CHOICES}
        />
        <p>
          <button type="submit">Save</button>
        </p>
      </form>
      <h2>Members</h2>
      <table>
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Added</th>
            <th>Remove</th>
          </tr>
        </thead>
        <tbody>
          {members.items.map((member) => (
            <MemberRow viewer={viewer} base={base} member={member} />
          ))}
        </tbody>
      </table>
      {members.next && (
        <p>
          <a rel="next" href={`${base}/?${members.next}`}>
            More members
          </a>
        </p>
      )}
      <h2>Add a member</h2>
      <form method="post" action={`${base}/members/`}>
        <CsrfField token={viewer.csrf} />
        <InputField name="user" label="User (id or username)" required state={state} />
        <SelectField name="role" label="Role" value="viewer" state={state} choices={ROLE_CHOICES} />
        <p>
          <button type="submit">Add member</button>
        </p>
      </form>
      <p>
        <a href={`${base}/delete/`}>Delete this project…</a>
      </p>
      <p>
        <a href="/admin/projects/">All projects</a>
      </p>
    </Layout>
  );
}

function deletePage(c: ConsoleContext, view: ProjectView, state: FormState = {}) {
  const viewer = viewerOf(c);
  const { project } = view;
  return (
    <Layout title={`Delete project ${project.name}?`} viewer={viewer}>
      <FormErrors errors={state.errors} fields={[]} />
      <p>The project “{project.name}” will be deleted for good, with its memberships.</p>
      <form method="post" action={`/admin/projects/${project.id}/delete/`}>
        <CsrfField token={viewer.csrf} />
        <Hidden name="version" value={project.version} />
        <button type="submit">Yes, delete it</button>{' '}
        <a href={`/admin/projects/${project.id}/`}>No, keep it</a>
      </form>
    </Layout>
  );
}

/** A form's "true" and "false" as the PATCH body's booleans; anything else for the schema. */
const flag = (text: string) => (text === 'true' ? true : text === 'false' ? false : text);

/** The API's role check, so that the form shows the API's message. */
function formRole(c: ConsoleContext): ProjectRole {
  const body = { role: field(c, 'role') };
  const parsed = MemberBody.safeParse(body);
  if (!parsed.success) throwIfInvalid(fieldErrorsOf(parsed.error, body));
  return body.role as ProjectRole;
}

export function projectPages(app: Hono<ConsoleEnv>, { deps, cursors }: ConsolePages) {
  app.get('/admin/projects/', async (c) => {
    const query = Object.fromEntries(
      Object.entries(c.req.query()).filter(([, value]) => value !== ''),
    );
    const parsed = ProjectListParams.safeParse(query);
    if (!parsed.success) {
      const state = { errors: fieldErrorsOf(parsed.error, query) };
      return c.html(
        <Layout title="Projects" viewer={viewerOf(c)}>
          <FilterForm query={query} state={state} />
        </Layout>,
        400,
      );
    }
    const params = parsed.data;
    const showPage = async () => {
      const result = await listProjects(deps, {
        viewer: c.var.actor,
        search: params.search || undefined,
        archived: params.archived,
        afterId: params.cursor
          ? (cursors.decode(PROJECTS_CURSOR, params.cursor) as number)
          : undefined,
        limit: params.limit ?? LIMIT_DEFAULT,
      });
      const next = result.next === null ? null : cursors.encode(PROJECTS_CURSOR, result.next);
      const deleted = c.req.query('deleted');
      return c.html(
        <Layout title="Projects" viewer={viewerOf(c)}>
          <Notice text={deleted ? `Project ${deleted} was deleted.` : undefined} />
          <FilterForm query={query} state={{}} />
          <table>
            <thead>
              <tr>
                <th>Id</th>
                <th>Name</th>
                <th>Owner</th>
                <th>Archived</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((view) => (
                <tr>
                  <td>{view.project.id}</td>
                  <td>
                    <a href={`/admin/projects/${view.project.id}/`}>{view.project.name}</a>
                  </td>
                  <td>
                    <OwnerLink view={view} />
                  </td>
                  <td>{view.project.archived ? 'yes' : 'no'}</td>
                  <td>
                    <Instant date={view.project.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ListEnd
            count={result.items.length}
            none="No project matches."
            query={query}
            next={next}
          />
        </Layout>,
      );
    };
    // A bad cursor lands on the filters, as the API's 400 would.
    return submit(c, showPage, (state) => (
      <Layout title="Projects" viewer={viewerOf(c)}>
        <FilterForm query={query} state={{ ...state, values: query }} />
      </Layout>
    ));
  });

  const project = (c: ConsoleContext) =>
    getProject(deps, { actor: c.var.actor, id: pathId(c, 'id', 'Project') });

  /** The project's page with the members' page the query names, and a refused form's state. */
  const show = async (c: ConsoleContext, view: ProjectView, state?: FormState) => {
    const cursor = c.req.query('cursor');
    const members = await listMembers(deps, {
      actor: c.var.actor,
      id: view.project.id,
      afterUserId: cursor ? (cursors.decode(MEMBERS_CURSOR, cursor) as number) : undefined,
      limit: LIMIT_DEFAULT,
    });
    const next =
      members.next === null
        ? null
        : String(new URLSearchParams({ cursor: cursors.encode(MEMBERS_CURSOR, members.next) }));
    return projectPage(c, view, { items: members.items, next }, state);
  };

  app.get('/admin/projects/:id/', async (c) => c.html(await show(c, await project(c))));

  app.post('/admin/projects/:id/', async (c) => {
    const current = await project(c);
    return submit(
      c,
      async () => {
        const body = {
          name: field(c, 'name'),
          description: field(c, 'description'),
          archived: flag(field(c, 'archived')),
        };
        const parsed = ProjectPatchBody.safeParse(body);
        if (!parsed.success) throwIfInvalid(fieldErrorsOf(parsed.error, body));
        await updateProject(deps, {
          actor: c.var.actor,
          id: current.project.id,
          ifMatch: formVersion(c),
          changes: projectChanges(parsed.data ?? {}),
        });
        return c.redirect(`/admin/projects/${current.project.id}/?done=saved`, 303);
      },
      (state) => show(c, current, state),
    );
  });

  /** The member form's user: digits are an id, anything else a username. */
  const formUser = async (c: ConsoleContext): Promise<number> => {
    const text = field(c, 'user').trim();
    if (/^\d{1,10}$/.test(text)) return Number(text);
    const user = text
      ? await findAccountByUsername(deps, { actor: c.var.actor, username: text })
      : null;
    if (!user) throw fieldError('user', `Object with username=${text} does not exist.`);
    return user.id;
  };

  /**
   * Adds a member or changes a role. The add form shows again what was sent; a row's change
   * names its member in the path, as the API's PUT does, and leaves the add form empty.
   */
  const saveMember = async (
    c: ConsoleContext,
    userId: () => Promise<number>,
    keepValues: boolean,
  ) => {
    const current = await project(c);
    return submit(
      c,
      async () => {
        await putMember(deps, {
          actor: c.var.actor,
          id: current.project.id,
          userId: await userId(),
          role: formRole(c),
        });
        return c.redirect(`/admin/projects/${current.project.id}/?done=member`, 303);
      },
      (state) => show(c, current, keepValues ? state : { errors: state.errors }),
    );
  };

  app.post('/admin/projects/:id/members/', (c) => saveMember(c, () => formUser(c), true));

  const memberId = (c: ConsoleContext) => pathId(c, 'user_id', 'Member');

  app.post('/admin/projects/:id/members/:user_id/', (c) =>
    saveMember(c, async () => memberId(c), false),
  );

  app.post('/admin/projects/:id/members/:user_id/remove/', async (c) => {
    const current = await project(c);
    return submit(
      c,
      async () => {
        await removeMember(deps, {
          actor: c.var.actor,
          id: current.project.id,
          userId: memberId(c),
        });
        return c.redirect(`/admin/projects/${current.project.id}/?done=removed`, 303);
      },
      (state) => show(c, current, { errors: state.errors }),
    );
  });

  app.get('/admin/projects/:id/delete/', async (c) => c.html(deletePage(c, await project(c))));

  app.post('/admin/projects/:id/delete/', async (c) => {
    const current = await project(c);
    return submit(
      c,
      async () => {
        await deleteProject(deps, {
          actor: c.var.actor,
          id: current.project.id,
          ifMatch: formVersion(c),
        });
        return c.redirect(`/admin/projects/?deleted=${current.project.id}`, 303);
      },
      (state) => deletePage(c, current, state),
    );
  });
}
