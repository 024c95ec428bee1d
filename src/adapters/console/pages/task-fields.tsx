import { PRIORITIES } from '../../../domain/priority.ts';
import { TASK_STATUSES, type Task, TITLE_MAX } from '../../../domain/task.ts';
import { type FormState, type Html, InputField, SelectField, TextareaField } from '../views.tsx';

/**
 * One writable field of a task as the console's form shows it: its control, the text it starts
 * with, and how that text becomes the value the API's write body would carry. A new task field
 * is one more entry here; the API's schema and use case do the rest.
 */
interface TaskField {
  name: string;
  show(task: Task): string;
  /** Left out: the text as it is. */
  parse?(text: string): unknown;
  control(options: { name: string; value: string; state: FormState }): Html;
}

export const STATUS_CHOICES = TASK_STATUSES.map((status) => [status, status] as const);
export const PRIORITY_CHOICES = PRIORITIES.map((priority) => [priority, priority] as const);

/** Labels are typed comma-separated: a label may hold no comma, so the split loses nothing. */
export const splitLabels = (text: string) =>
  text
    .split(',')
    .map((label) => label.trim())
    .filter((label) => label !== '');

/** Empty is nobody, digits an id; anything else is left for the schema to refuse. */
const optionalId = (text: string) => {
  const trimmed = text.trim();
  return trimmed === '' ? null : /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

export const TASK_FIELDS: TaskField[] = [
  {
    name: 'title',
    show: (task) => task.title,
    control: (options) => <InputField {...options} label="Title" required maxlength={TITLE_MAX} />,
  },
  {
    name: 'description',
    show: (task) => task.description,
    control: (options) => <TextareaField {...options} label="Description" />,
  },
  {
    name: 'status',
    show: (task) => task.status,
    control: (options) => <SelectField {...options} label="Status" choices={STATUS_CHOICES} />,
  },
  {
    name: 'assigned_to',
    show: (task) => (task.assignedTo === null ? '' : String(task.assignedTo)),
    parse: optionalId,
    control: (options) => (
      <InputField {...options} label="Assigned to (user id; empty for nobody)" />
    ),
  },
  {
    name: 'due_at',
    show: (task) => task.dueAt?.toISOString() ?? '',
    parse: (text) => (text.trim() === '' ? null : text.trim()),
    control: (options) => (
      <InputField
        {...options}
        label="Due at (ISO 8601 with Z or an offset, e.g. 2026-03-01T17:00:00Z; empty for none)"
      />
    ),
  },
  {
    name: 'priority',
    show: (task) => task.priority,
    control: (options) => <SelectField {...options} label="Priority" choices={PRIORITY_CHOICES} />,
  },
  {
    name: 'labels',
    show: (task) => task.labels.join(', '),
    parse: splitLabels,
    control: (options) => <InputField {...options} label="Labels (comma-separated)" />,
  },
  {
    name: 'project',
    show: (task) => (task.projectId === null ? '' : String(task.projectId)),
    parse: optionalId,
    control: (options) => <InputField {...options} label="Project (project id; empty for none)" />,
  },
];

export const TASK_FIELD_NAMES = TASK_FIELDS.map((each) => each.name);

/**
 * The form's fields as the API's PATCH body: what `TaskPatchBody` validates. A field the form
 * did not send is left out, as the API leaves it, so it keeps its value.
 */
export function taskBody(sent: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    TASK_FIELDS.filter((each) => sent[each.name] !== undefined).map((each) => [
      each.name,
      (each.parse ?? String)(sent[each.name] as string),
    ]),
  );
}
