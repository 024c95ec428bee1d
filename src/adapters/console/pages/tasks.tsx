import type { Hono } from 'hono';
import type { TaskKey } from '../../../application/ports/tasks.ts';
import { deleteTask } from '../../../application/tasks/delete-task.ts';
import { getTask } from '../../../application/tasks/get-task.ts';
import { listTasks } from '../../../application/tasks/list-tasks.ts';
import { updateTask } from '../../../application/tasks/update-task.ts';
import { throwIfInvalid } from '../../../domain/errors.ts';
import type { Task } from '../../../domain/task.ts';
import { LIMIT_DEFAULT, pathId } from '../../http/fields.ts';
import {
  ORDERINGS,
  SEARCH_MAX,
  TaskListParams,
  TaskPatchBody,
  taskChanges,
  taskListFilters,
} from '../../http/tasks/schemas.ts';
import { fieldErrorsOf } from '../../http/validation.ts';
import {
  type ConsoleContext,
  type ConsoleEnv,
  type ConsolePages,
  formValues,
  formVersion,
  submit,
  viewerOf,
} from '../context.ts';
import {
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
  SelectField,
} from '../views.tsx';
import { TaskActivity } from './task-activity.tsx';
import {
  PRIORITY_CHOICES,
  STATUS_CHOICES,
  splitLabels,
  TASK_FIELD_NAMES,
  TASK_FIELDS,
  taskBody,
} from './task-fields.tsx';

const FILTERS = [
  'status',
  'assigned_to',
  'created_by',
  'project',
  'search',
  'due_before',
  'due_after',
  'overdue',
  'priority',
  'label',
  'ordering',
  'limit',
] as const;

const UserLink = ({ id }: { id: number | null }) =>
  id === null ? <>—</> : <a href={`/admin/users/${id}/`}>{id}</a>;

const ProjectLink = ({ id }: { id: number | null }) =>
  id === null ? <>—</> : <a href={`/admin/projects/${id}/`}>{id}</a>;

function FilterForm({ query, state }: { query: Record<string, string>; state: FormState }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: the form itself is the search landmark, in every browser
    <form method="get" action="/admin/tasks/" role="search" class="filters">
      <FormErrors errors={state.errors} fields={FILTERS} />
      <SelectField
        name="status"
        label="Status"
        value={query.status}
        state={state}
        choices={[['', 'any'], ...STATUS_CHOICES]}
      />
      <InputField
        name="assigned_to"
        label="Assigned to (id, me, none)"
        value={query.assigned_to}
        state={state}
      />
      <InputField
        name="created_by"
        label="Created by (id, me)"
        value={query.created_by}
        state={state}
      />
      <InputField name="project" label="Project (id, none)" value={query.project} state={state} />
      <InputField
        name="search"
        label="Title or description contains"
        value={query.search}
        type="search"
        maxlength={SEARCH_MAX}
        state={state}
      />
      <InputField
        name="due_after"
        label="Due after (ISO 8601 with Z or an offset)"
        value={query.due_after}
        state={state}
      />
      <InputField
        name="due_before"
        label="Due before (ISO 8601 with Z or an offset)"
        value={query.due_before}
        state={state}
      />
      <SelectField
        name="overdue"
        label="Overdue"
        value={query.overdue}
        state={state}
        choices={[
          ['', 'any'],
          ['true', 'pending and past due'],
        ]}
      />
      <SelectField
        name="priority"
        label="Priority"
        value={query.priority}
        state={state}
        choices={[['', 'any'], ...PRIORITY_CHOICES]}
      />
      <InputField
        name="label"
        label="Has every label (comma-separated)"
        value={query.label}
        state={state}
      />
      <SelectField
        name="ordering"
        label="Order by"
        value={query.ordering ?? 'id'}
        state={state}
        choices={ORDERINGS.map((ordering) => [ordering, ordering] as const)}
      />
      <InputField name="limit" label="Per page" value={query.limit} type="number" state={state} />
      <p>
        <button type="submit">Filter</button>
      </p>
    </form>
  );
}

function taskForm(c: ConsoleContext, task: Task, activity: Html, state: FormState = {}) {
  const viewer = viewerOf(c);
  return (
    <Layout title={`Task ${task.id}`} viewer={viewer}>
      <Notice text={c.req.query('done') === 'saved' ? 'The task was saved.' : undefined} />
      <dl>
        <dt>Created by</dt>
        <dd>
          <UserLink id={task.createdBy} />
        </dd>
        <dt>Created</dt>
        <dd>
          <Instant date={task.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Instant date={task.updatedAt} />
        </dd>
        <dt>Completed</dt>
        <dd>
          <Instant date={task.completedAt} />
        </dd>
        <dt>Version</dt>
        <dd>{task.version}</dd>
      </dl>
      <form method="post" action={`/admin/tasks/${task.id}/`}>
        <CsrfField token={viewer.csrf} />
        <Hidden name="version" value={task.version} />
        <FormErrors errors={state.errors} fields={TASK_FIELD_NAMES} />
        {TASK_FIELDS.map((each) =>
          each.control({ name: each.name, value: each.show(task), state }),
        )}
        <p>
          <button type="submit">Save</button>
        </p>
      </form>
      <p>
        <a href={`/admin/tasks/${task.id}/delete/`}>Delete this task…</a>
      </p>
      {activity}
      <p>
        <a href="/admin/tasks/">All tasks</a>
      </p>
    </Layout>
  );
}

function deletePage(c: ConsoleContext, task: Task, state: FormState = {}) {
  const viewer = viewerOf(c);
  return (
    <Layout title={`Delete task ${task.id}?`} viewer={viewer}>
      <FormErrors errors={state.errors} fields={[]} />
      <p>The task “{task.title}” will be deleted for good.</p>
      <form method="post" action={`/admin/tasks/${task.id}/delete/`}>
        <CsrfField token={viewer.csrf} />
        <Hidden name="version" value={task.version} />
        <button type="submit">Yes, delete it</button>{' '}
        <a href={`/admin/tasks/${task.id}/`}>No, keep it</a>
      </form>
    </Layout>
  );
}

export function taskPages(app: Hono<ConsoleEnv>, { deps, cursors }: ConsolePages) {
  app.get('/admin/tasks/', async (c) => {
    const query = Object.fromEntries(
      Object.entries(c.req.query()).filter(([, value]) => value !== ''),
    );
    // The labels field is one comma-separated text, where the API repeats `label`.
    const parsed = TaskListParams.safeParse(
      query.label === undefined ? query : { ...query, label: splitLabels(query.label) },
    );
    if (!parsed.success) {
      const state = { errors: fieldErrorsOf(parsed.error, query) };
      return c.html(
        <Layout title="Tasks" viewer={viewerOf(c)}>
          <FilterForm query={query} state={state} />
        </Layout>,
        400,
      );
    }
    const params = parsed.data;
    const { ordering, input } = taskListFilters(params, c.var.actor);
    const showPage = async () => {
      const result = await listTasks(deps, {
        ...input,
        after: params.cursor ? (cursors.decode(ordering, params.cursor) as TaskKey) : undefined,
        limit: params.limit ?? LIMIT_DEFAULT,
      });
      const next = result.next === null ? null : cursors.encode(ordering, result.next);
      const deleted = c.req.query('deleted');
      return c.html(
        <Layout title="Tasks" viewer={viewerOf(c)}>
          <Notice text={deleted ? `Task ${deleted} was deleted.` : undefined} />
          <FilterForm query={query} state={{}} />
          <table>
            <thead>
              <tr>
                <th>Id</th>
                <th>Title</th>
                <th>Status</th>
                <th>Priority</th>
                <th>Due</th>
                <th>Labels</th>
                <th>Assigned to</th>
                <th>Created by</th>
                <th>Project</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((task) => (
                <tr>
                  <td>{task.id}</td>
                  <td>
                    <a href={`/admin/tasks/${task.id}/`}>{task.title}</a>
                  </td>
                  <td>{task.status}</td>
                  <td>{task.priority}</td>
                  <td>
                    <Instant date={task.dueAt} />
                  </td>
                  <td>{task.labels.join(', ')}</td>
                  <td>
                    <UserLink id={task.assignedTo} />
                  </td>
                  <td>
                    <UserLink id={task.createdBy} />
                  </td>
                  <td>
                    <ProjectLink id={task.projectId} />
                  </td>
                  <td>
                    <Instant date={task.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ListEnd count={result.items.length} none="No task matches." query={query} next={next} />
        </Layout>,
      );
    };
    // The use case's own refusals (a staff search too short to use an index) land on the filters.
    return submit(c, showPage, (state) => (
      <Layout title="Tasks" viewer={viewerOf(c)}>
        <FilterForm query={query} state={{ ...state, values: query }} />
      </Layout>
    ));
  });

  const task = (c: ConsoleContext) =>
    getTask(deps, { actor: c.var.actor, id: pathId(c, 'id', 'Task') });

  const activity = (c: ConsoleContext, taskId: number) => (
    <TaskActivity deps={deps} actor={c.var.actor} taskId={taskId} />
  );

  app.get('/admin/tasks/:id/', async (c) => {
    const current = await task(c);
    return c.html(taskForm(c, current, activity(c, current.id)));
  });

  app.post('/admin/tasks/:id/', async (c) => {
    const current = await task(c);
    return submit(
      c,
      async () => {
        const body = taskBody(formValues(c));
        const parsed = TaskPatchBody.safeParse(body);
        if (!parsed.success) throwIfInvalid(fieldErrorsOf(parsed.error, body));
        const changes = taskChanges(parsed.data ?? {});
        await updateTask(deps, {
          actor: c.var.actor,
          id: current.id,
          ifMatch: formVersion(c),
          changes,
        });
        return c.redirect(`/admin/tasks/${current.id}/?done=saved`, 303);
      },
      (state) => taskForm(c, current, activity(c, current.id), state),
    );
  });

  app.get('/admin/tasks/:id/delete/', async (c) => c.html(deletePage(c, await task(c))));

  app.post('/admin/tasks/:id/delete/', async (c) => {
    const current = await task(c);
    return submit(
      c,
      async () => {
        await deleteTask(deps, { actor: c.var.actor, id: current.id, ifMatch: formVersion(c) });
        return c.redirect(`/admin/tasks/?deleted=${current.id}`, 303);
      },
      (state) => deletePage(c, current, state),
    );
  });
}
