import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../../application/deps.ts';
import { DomainError, ThrottledError } from '../../domain/errors.ts';
import type { User } from '../../domain/user.ts';
import type { CursorCodec } from '../http/cursor.ts';
import type { AppEnv } from '../http/env.ts';
import { statusOf } from '../http/errors.ts';
import type { ConsoleCookies } from './session.ts';
import type { FormState, Html, Viewer } from './views.tsx';

export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & {
    /** The signed-in staff member. */
    staff: User;
    /** The CSRF token every form of the page carries. */
    csrf: string;
    /** A POST's form fields (a field given twice is a list); unset on other methods. */
    form: Record<string, unknown> | undefined;
  };
}

export type ConsoleContext = Context<ConsoleEnv>;

/** What every page module of the console is built from. */
export interface ConsolePages {
  deps: Deps;
  cookies: ConsoleCookies;
  cursors: CursorCodec;
  clientIp: (c: Context) => string;
  /** Run before sign-in, as before `/api/token/`: the per-address throttle. */
  anonymous: MiddlewareHandler[];
}

export const viewerOf = (c: ConsoleContext): Viewer => ({
  username: c.var.staff.username,
  csrf: c.var.csrf,
});

/** A form field as text: absent and repeated fields read as empty, which the use cases refuse. */
export function field(c: ConsoleContext, name: string): string {
  const value = c.var.form?.[name];
  return typeof value === 'string' ? value : '';
}

export function formValues(c: ConsoleContext): Record<string, string> {
  return Object.fromEntries(Object.keys(c.var.form ?? {}).map((name) => [name, field(c, name)]));
}

/** The version the form was filled from: the write applies only if the resource is still at it. */
export const formVersion = (c: ConsoleContext) => {
  const text = field(c, 'version');
  return /^\d{1,10}$/.test(text) ? [Number(text)] : [];
};

/** The refusals a form shows beside its fields; any other error gets a page of its own. */
const ON_THE_FORM = new Set([
  'validation',
  'forbidden',
  'conflict',
  'precondition_failed',
  'throttled',
]);

/**
 * Runs a form's use case. When the use case refuses, the form is shown again with what was sent
 * and the use case's messages, under the status the API would answer with.
 */
export async function submit(
  c: ConsoleContext,
  action: () => Promise<Response>,
  again: (state: FormState) => Html | Promise<Html>,
): Promise<Response> {
  try {
    return await action();
  } catch (error) {
    if (!(error instanceof DomainError) || !ON_THE_FORM.has(error.kind)) throw error;
    if (error instanceof ThrottledError) c.header('Retry-After', String(error.retryAfterSeconds));
    const errors = error.fields ?? { non_field_errors: [error.message] };
    return c.html(await again({ values: formValues(c), errors }), statusOf(error));
  }
}
