import type { z } from '@hono/zod-openapi';
import { type FieldErrors, NON_FIELD, throwIfInvalid } from '../../domain/errors.ts';

type Issue = z.core.$ZodIssue;

/** The value at `path` of what was validated: zod keeps only the issue's path, not its input. */
function inputAt(data: unknown, path: PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The messages DRF clients already show their users, where zod's differ. */
function drfMessage(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'This field is required.';
      if (input === null) return 'This field may not be null.';
      if (issue.expected === 'object') return 'Invalid data. Expected a dictionary.';
      if (issue.expected === 'int' || issue.expected === 'number')
        return 'A valid integer is required.';
      if (issue.expected === 'string') return 'Not a valid string.';
      return issue.message;
    case 'invalid_value':
      return `"${String(input)}" is not a valid choice.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Ensure this field has no more than ${issue.maximum} characters.`
        : `Ensure this value is less than or equal to ${issue.maximum}.`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1
          ? 'This field may not be blank.'
          : `Ensure this field has at least ${issue.minimum} characters.`;
      return `Ensure this value is greater than or equal to ${issue.minimum}.`;
    case 'invalid_format':
      return issue.format === 'email' ? 'Enter a valid email address.' : issue.message;
    default:
      return issue.message;
  }
}

/** Zod issues as DRF-style field errors: `{field: [message]}`, `non_field_errors` for the body. */
export function fieldErrorsOf(error: z.ZodError, data: unknown): FieldErrors {
  // A Map, because client-chosen keys such as "constructor" must not meet Object.prototype.
  const fields = new Map<string, string[]>();
  const add = (field: string, message: string) =>
    fields.set(field, [...(fields.get(field) ?? []), message]);
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) add(key, 'Unknown field.');
    else
      add(
        issue.path.length > 0 ? issue.path.join('.') : NON_FIELD,
        drfMessage(issue, inputAt(data, issue.path)),
      );
  }
  return Object.fromEntries(fields);
}

/** The validation hook of every route: invalid input becomes one validation error. */
export function rejectInvalid(result: {
  success: boolean;
  error?: z.ZodError;
  data?: unknown;
}): void {
  if (!result.success && result.error) throwIfInvalid(fieldErrorsOf(result.error, result.data));
}
