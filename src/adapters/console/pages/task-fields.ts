import { TASK_STATUSES, type Task, TITLE_MAX } from '../../../domain/task.ts';
import { type FormState, type Html, inputField, selectField, textareaField } from '../views.ts';

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

/** Empty is nobody, digits an id; anything else is left for the schema to refuse. */
const optionalId = (text: string) => {
  const trimmed = text.trim();
  return trimmed === '' ? null : /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

export const TASK_FIELDS: TaskField[] = [
  {
    name: 'title',
    show: (task) => task.title,
    control: (options) =>
      inputField({ ...options, label: 'Title', required: true, maxlength: TITLE_MAX }),
  },
  {
    name: 'description',
    show: (task) => task.description,
    control: (options) => textareaField({ ...options, label: 'Description' }),
  },
  {
    name: 'status',
    show: (task) => task.status,
    control: (options) => selectField({ ...options, label: 'Status', choices: STATUS_CHOICES }),
  },
  {
    name: 'assigned_to',
    show: (task) => (task.assignedTo === null ? '' : String(task.assignedTo)),
    parse: optionalId,
    control: (options) =>
      inputField({ ...options, label: 'Assigned to (user id; empty for nobody)' }),
  },
  {
    name: 'project',
    show: (task) => (task.projectId === null ? '' : String(task.projectId)),
    parse: optionalId,
    control: (options) => inputField({ ...options, label: 'Project (project id; empty for none)' }),
  },
];

export const TASK_FIELD_NAMES = TASK_FIELDS.map((each) => each.name);

/** The form's fields as the API's PATCH body: what `TaskPatchBody` validates. */
export function taskBody(text: (name: string) => string): Record<string, unknown> {
  return Object.fromEntries(
    TASK_FIELDS.map((each) => [each.name, (each.parse ?? String)(text(each.name))]),
  );
}
