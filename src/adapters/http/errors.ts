import { STATUS_CODES } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { Unavailable } from '../../application/ports/unavailable.ts';
import {
  DomainError,
  type ErrorKind,
  type FieldErrors,
  ThrottledError,
} from '../../domain/errors.ts';

/** The only place that knows which status each kind of failure gets. */
const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  precondition_failed: 412,
  throttled: 429,
};

/** The status a domain error answers with, for every adapter that speaks HTTP. */
export const statusOf = (error: DomainError): ContentfulStatusCode => STATUS[error.kind];

const CLIENT_CLOSED_REQUEST = 499 as ContentfulStatusCode;

interface ProblemExtras {
  code?: string;
  errors?: FieldErrors;
  headers?: Record<string, string>;
  /** Further members of the problem document (RFC 9457 §3.2). */
  extensions?: Record<string, unknown>;
}

/** An RFC 9457 problem response; `detail` is always there for clients that read `.detail`. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  { code, errors, headers = {}, extensions }: ProblemExtras = {},
): Response {
  const body = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(code && { code }),
    ...(errors && { errors }),
    ...extensions,
  };
  return c.body(JSON.stringify(body), status, {
    ...headers,
    'Content-Type': 'application/problem+json',
  });
}

function domainProblem(c: Context, error: DomainError): Response {
  const headers: Record<string, string> = {};
  if (error.kind === 'unauthenticated')
    headers['WWW-Authenticate'] =
      error.code === 'not_authenticated' ? 'Bearer realm="api"' : 'Bearer error="invalid_token"';
  if (error.code === 'insufficient_scope')
    headers['WWW-Authenticate'] = 'Bearer error="insufficient_scope"';
  if (error instanceof ThrottledError) headers['Retry-After'] = String(error.retryAfterSeconds);
  return problem(c, statusOf(error), error.message, {
    code: error.code,
    ...(error.fields && { errors: error.fields }),
    headers,
  });
}

export function errorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    if (error instanceof DomainError) return domainProblem(c, error);
    if (error instanceof Unavailable)
      return problem(c, 503, error.message, {
        code: error.code,
        ...(error.retryAfterSeconds && {
          headers: { 'Retry-After': String(error.retryAfterSeconds) },
        }),
      });
    if (error instanceof HTTPException && error.status < 500)
      return problem(c, error.status as ContentfulStatusCode, error.message || 'Bad request.');
    // The client went away and its work was dropped: no server error, and nobody reads the answer
    // (499 is nginx's "client closed request").
    if (c.req.raw.signal.aborted)
      return problem(c, CLIENT_CLOSED_REQUEST, 'The client closed the request.', {
        code: 'client_closed_request',
      });
    logger.error(
      { err: error, requestId: c.get('requestId'), method: c.req.method, path: c.req.path },
      'unhandled error',
    );
    return problem(c, 500, 'The server could not complete the request.', { code: 'server_error' });
  };
}
