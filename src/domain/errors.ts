export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'throttled';

export type FieldErrors = Record<string, string[]>;

/** Every failure the service reports on purpose; `code` is stable, `message` is for people. */
export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly fields: FieldErrors | undefined;

  constructor(kind: ErrorKind, code: string, message: string, fields?: FieldErrors) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.fields = fields;
  }
}

export class ThrottledError extends DomainError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(
      'throttled',
      'throttled',
      `Request was throttled. Expected available in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const NON_FIELD = 'non_field_errors';

/** Throws one validation error naming every field that failed, or returns when none did. */
export function throwIfInvalid(fields: FieldErrors): void {
  const entries = Object.entries(fields).filter(([, messages]) => messages.length > 0);
  if (entries.length === 0) return;
  const [field, messages] = entries[0] as [string, string[]];
  const summary = field === NON_FIELD ? messages[0] : `${field}: ${messages[0]}`;
  throw new DomainError(
    'validation',
    'invalid',
    summary ?? 'Invalid input.',
    Object.fromEntries(entries),
  );
}

export function fieldError(field: string, message: string): DomainError {
  return new DomainError(
    'validation',
    'invalid',
    field === NON_FIELD ? message : `${field}: ${message}`,
    {
      [field]: [message],
    },
  );
}

export const notAuthenticated = () =>
  new DomainError(
    'unauthenticated',
    'not_authenticated',
    'Authentication credentials were not provided.',
  );

export const invalidToken = (message = 'Given token not valid for any token type') =>
  new DomainError('unauthenticated', 'invalid_token', message);

/** The caller's account no longer exists or was deactivated: its tokens stop working. */
export const accountGone = () => invalidToken('User not found or inactive.');

export const notFound = (what: string) =>
  new DomainError('not_found', 'not_found', `No ${what} matches the given query.`);

export const forbidden = (message: string) =>
  new DomainError('forbidden', 'permission_denied', message);

/** The caller is who they say, but their credential does not reach this far (RFC 6750 §3.1). */
export const insufficientScope = (message: string) =>
  new DomainError('forbidden', 'insufficient_scope', message);

/** The request is sound, but the resource's state refuses it (`last_owner`, `project_not_empty`). */
export const conflict = (code: string, message: string) =>
  new DomainError('conflict', code, message);

export const preconditionFailed = (message: string) =>
  new DomainError('precondition_failed', 'precondition_failed', message);
