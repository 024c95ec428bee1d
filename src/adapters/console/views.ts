import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { type FieldErrors, NON_FIELD } from '../../domain/errors.ts';

/*
 * The console's pages are written with Hono's `html` template: it escapes every value put into
 * it, as JSX would, and it runs from source under Node's type stripping, which cannot compile
 * .tsx files (so JSX would need a loader in every `node` command that imports the app).
 */

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

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

export function layout(title: string, viewer: Viewer | null, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Task API console</title>
    <link rel="stylesheet" href="${STYLESHEET}" />
  </head>
  <body>
    <header>
      <p class="brand">Task API console</p>
      ${
        viewer &&
        html`<nav aria-label="Sections">
        <ul>
          ${NAV.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}
        </ul>
      </nav>
      <form method="post" action="/admin/logout/" class="sign-out">
        ${csrfField(viewer.csrf)}
        <span>Signed in as ${viewer.username}</span>
        <button type="submit">Sign out</button>
      </form>`
      }
    </header>
    <main>
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>`;
}

export const csrfField = (token: string) =>
  html`<input type="hidden" name="csrf" value="${token}" />`;

const describedBy = (name: string, errors: FieldErrors | undefined) =>
  errors?.[name]?.length ? html` aria-invalid="true" aria-describedby="${name}-errors"` : '';

/** The messages of one field, beside it; the field points at them with aria-describedby. */
export function fieldErrors(name: string, errors: FieldErrors | undefined): Html | string {
  const messages = errors?.[name] ?? [];
  if (messages.length === 0) return '';
  return html`<ul class="errors" id="${name}-errors">
    ${messages.map((message) => html`<li>${message}</li>`)}
  </ul>`;
}

/** Messages about no field on the form: the body as a whole, or a field it does not show. */
export function formErrors(
  errors: FieldErrors | undefined,
  fields: readonly string[],
): Html | string {
  const messages = Object.entries(errors ?? {})
    .filter(([field]) => !fields.includes(field))
    .flatMap(([field, list]) =>
      list.map((message) => (field === NON_FIELD ? message : `${field}: ${message}`)),
    );
  if (messages.length === 0) return '';
  return html`<div class="errors" role="alert">
    <ul>
      ${messages.map((message) => html`<li>${message}</li>`)}
    </ul>
  </div>`;
}

interface FieldOptions {
  name: string;
  label: string;
  value?: string;
  state?: FormState;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
}

const shownValue = (options: FieldOptions) =>
  options.state?.values?.[options.name] ?? options.value ?? '';

export function inputField(options: FieldOptions): Html {
  const { name, label, state } = options;
  return html`<p class="field">
    <label for="${name}">${label}</label>
    <input id="${name}" name="${name}" type="${options.type ?? 'text'}" value="${shownValue(options)}"${
      options.required ? html` required` : ''
    }${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${
      options.maxlength ? html` maxlength="${options.maxlength}"` : ''
    }${describedBy(name, state?.errors)} />
    ${fieldErrors(name, state?.errors)}
  </p>`;
}

export function textareaField(options: FieldOptions): Html {
  const { name, label, state } = options;
  return html`<p class="field">
    <label for="${name}">${label}</label>
    <textarea id="${name}" name="${name}" rows="6"${describedBy(name, state?.errors)}>${shownValue(options)}</textarea>
    ${fieldErrors(name, state?.errors)}
  </p>`;
}

export function selectField(
  options: FieldOptions & { choices: readonly (readonly [string, string])[] },
): Html {
  const { name, label, state } = options;
  const selected = shownValue(options);
  return html`<p class="field">
    <label for="${name}">${label}</label>
    <select id="${name}" name="${name}"${describedBy(name, state?.errors)}>
      ${options.choices.map(
        ([value, text]) =>
          html`<option value="${value}"${value === selected ? html` selected` : ''}>${text}</option>`,
      )}
    </select>
    ${fieldErrors(name, state?.errors)}
  </p>`;
}

/** A one-button form that posts `fields`: the console's actions on a row. */
export function actionForm(
  viewer: Viewer,
  action: string,
  label: string,
  fields: Record<string, string> = {},
): Html {
  return html`<form method="post" action="${action}" class="inline">
    ${csrfField(viewer.csrf)}
    ${Object.entries(fields).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
    )}
    <button type="submit">${label}</button>
  </form>`;
}

export function notice(text: string | undefined): Html | string {
  return text ? html`<p class="notice" role="status">${text}</p>` : '';
}

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

/** Below a list's table: what an empty page says, and the link to the next page, if any. */
export const listEnd = (count: number, none: string, next: URLSearchParams | null): Html =>
  html`${count === 0 ? html`<p>${none}</p>` : ''}
    ${next === null ? '' : html`<p><a rel="next" href="?${next}">Next page</a></p>`}`;

export const instant = (date: Date | null) =>
  date
    ? html`<time datetime="${date.toISOString()}">${date.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>`
    : '—';
