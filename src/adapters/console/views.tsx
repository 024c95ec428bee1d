import { raw } from 'hono/html';
import type { PropsWithChildren } from 'hono/jsx';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { type FieldErrors, NON_FIELD } from '../../domain/errors.ts';

/*
 * The console's pages are components of Hono's JSX (`hono/jsx`), rendered to a string on the
 * server: it escapes every value put into the markup. Node's type stripping refuses .tsx, so the
 * `node` commands that import the app load scripts/jsx-loader.ts first (see the README).
 */

export type Html = JSX.Element;

export const STYLESHEET = '/admin/console.css';

/** What a form shows again after the use case refused it: what was sent, and why not. */
export interface FormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
}

/** Whom a page is for: the signed-in staff member and the CSRF token of their session. */
export interface Viewer {
  username: string;
  csrf: string;
}

const NAV = [
  ['/admin/', 'Overview'],
  ['/admin/users/', 'Users'],
  ['/admin/tasks/', 'Tasks'],
  ['/admin/projects/', 'Projects'],
  ['/admin/notifications/', 'Notifications'],
] as const;

/** A whole page: `title` is its heading too; the sections and sign-out are for a viewer only. */
export function Layout({
  title,
  viewer,
  children,
}: PropsWithChildren<{ title: string; viewer: Viewer | null }>) {
  return (
    <>
      {/* JSX has no syntax for the doctype: the one piece of markup written as a string. */}
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title} · Task API console</title>
          <link rel="stylesheet" href={STYLESHEET} />
        </head>
        <body>
          <header>
            <p class="brand">Task API console</p>
            {viewer && (
              <>
                <nav aria-label="Sections">
                  <ul>
                    {NAV.map(([href, label]) => (
                      <li>
                        <a href={href}>{label}</a>
                      </li>
                    ))}
                  </ul>
                </nav>
                <form method="post" action="/admin/logout/" class="sign-out">
                  <CsrfField token={viewer.csrf} />
                  <span>Signed in as {viewer.username}</span>
                  <button type="submit">Sign out</button>
                </form>
              </>
            )}
          </header>
          <main>
            <h1>{title}</h1>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

export const CsrfField = ({ token }: { token: string }) => (
  <input type="hidden" name="csrf" value={token} />
);

/** A hidden field of a form: what the form posts without showing it. */
export const Hidden = ({ name, value }: { name: string; value: string | number }) => (
  <input type="hidden" name={name} value={value} />
);

/** The attributes that point a field at its messages, when it has any. */
const describedBy = (name: string, errors: FieldErrors | undefined) =>
  errors?.[name]?.length ? { 'aria-invalid': 'true', 'aria-describedby': `${name}-errors` } : {};

/** The messages of one field, beside it; the field points at them with aria-describedby. */
export function FieldErrorList({
  name,
  errors,
}: {
  name: string;
  errors: FieldErrors | undefined;
}) {
  const messages = errors?.[name] ?? [];
  if (messages.length === 0) return null;
  return (
    <ul class="errors" id={`${name}-errors`}>
      {messages.map((message) => (
        <li>{message}</li>
      ))}
    </ul>
  );
}

/** Messages about no field on the form: the body as a whole, or a field it does not show. */
export function FormErrors({
  errors,
  fields,
}: {
  errors: FieldErrors | undefined;
  fields: readonly string[];
}) {
  const messages = Object.entries(errors ?? {})
    .filter(([field]) => !fields.includes(field))
    .flatMap(([field, list]) =>
      list.map((message) => (field === NON_FIELD ? message : `${field}: ${message}`)),
    );
  if (messages.length === 0) return null;
  return (
    <div class="errors" role="alert">
      <ul>
        {messages.map((message) => (
          <li>{message}</li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldOptions {
  name: string;
  label: string;
  value?: string | undefined;
  state?: FormState;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
}

const shownValue = (options: FieldOptions) =>
  options.state?.values?.[options.name] ?? options.value ?? '';

/** A labelled field, its messages beside it: the console's form fields all look so. */
function Field({
  name,
  label,
  errors,
  children,
}: PropsWithChildren<{ name: string; label: string; errors: FieldErrors | undefined }>) {
  return (
    <p class="field">
      <label for={name}>{label}</label>
      {children}
      <FieldErrorList name={name} errors={errors} />
    </p>
  );
}

export function InputField(options: FieldOptions) {
  const { name, label, state } = options;
  return (
    <Field name={name} label={label} errors={state?.errors}>
      <input
        id={name}
        name={name}
        type={options.type ?? 'text'}
        value={shownValue(options)}
        required={options.required}
        autocomplete={options.autocomplete}
        maxlength={options.maxlength}
        {...describedBy(name, state?.errors)}
      />
    </Field>
  );
}

export function TextareaField(options: FieldOptions) {
  const { name, label, state } = options;
  return (
    <Field name={name} label={label} errors={state?.errors}>
      <textarea id={name} name={name} rows={6} {...describedBy(name, state?.errors)}>
        {shownValue(options)}
      </textarea>
    </Field>
  );
}

export type Choices = readonly (readonly [string, string])[];

export function SelectField(options: FieldOptions & { choices: Choices }) {
  const { name, label, state } = options;
  return (
    <Field name={name} label={label} errors={state?.errors}>
      <select id={name} name={name} {...describedBy(name, state?.errors)}>
        <Options choices={options.choices} selected={shownValue(options)} />
      </select>
    </Field>
  );
}

export const Options = ({ choices, selected }: { choices: Choices; selected: string }) => (
  <>
    {choices.map(([value, text]) => (
      <option value={value} selected={value === selected}>
        {text}
      </option>
    ))}
  </>
);

/** A one-button form that posts `fields`: the console's actions on a row. */
export function ActionForm({
  viewer,
  action,
  label,
  fields = {},
}: {
  viewer: Viewer;
  action: string;
  label: string;
  fields?: Record<string, string>;
}) {
  return (
    <form method="post" action={action} class="inline">
      <CsrfField token={viewer.csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <Hidden name={name} value={value} />
      ))}
      <button type="submit">{label}</button>
    </form>
  );
}

export const Notice = ({ text }: { text: string | undefined }) =>
  text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;

/** How long ago `then` was, in the largest unit that fits. */
export function age(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
  ] as const)
    if (seconds >= size) return `${Math.floor(seconds / size)} ${unit}`;
  return `${seconds} s`;
}

/**
 * Below a list's table: what an empty page says, and the link to the next page, if any: the
 * page's own `query` with the `next` cursor.
 */
export const ListEnd = ({
  count,
  none,
  query = {},
  next,
}: {
  count: number;
  none: string;
  query?: Record<string, string>;
  next: string | null;
}) => (
  <>
    {count === 0 && <p>{none}</p>}
    {next !== null && (
      <p>
        <a rel="next" href={`?${new URLSearchParams({ ...query, cursor: next })}`}>
          Next page
        </a>
      </p>
    )}
  </>
);

export const Instant = ({ date }: { date: Date | null }) =>
  date ? (
    <time datetime={date.toISOString()}>
      {date.toISOString().replace('T', ' ').slice(0, 19)} UTC
    </time>
  ) : (
    <>—</>
  );
