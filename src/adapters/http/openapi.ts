import { z } from '@hono/zod-openapi';
import { scopeFor } from './authenticate.ts';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().optional(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .openapi('Problem');

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid input; `errors` names each field.',
  401: 'Missing, invalid or expired credentials.',
  403: 'Not allowed to make this change, or the API token lacks the scope (`insufficient_scope`).',
  404: 'No such resource, or not visible to the caller.',
  409: "The resource's state refuses the change (`last_owner`, `project_not_empty`).",
  412: '`If-Match` does not name the current version.',
  413: 'Body larger than 64 KiB.',
  415: 'Body is not `application/json`.',
  429: 'Throttled; see `Retry-After`.',
} as const;

type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/**
 * A JSON body that may come as a form too, as DRF took it: the form's fields become the JSON
 * body the schema validates (bodies.ts). The form types document the schema by reference, which
 * is no zod schema, so no second validator runs on them; typed as the schema, the route's
 * `valid('json')` keeps its type.
 */
export const jsonOrFormBody = <T extends z.ZodType>(schema: T, name: string) => {
  const form = { schema: { $ref: `#/components/schemas/${name}` } as unknown as T };
  return {
    required: true,
    content: {
      'application/json': { schema },
      'application/x-www-form-urlencoded': form,
      'multipart/form-data': form,
    },
  };
};

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export function problemResponses(...statuses: ProblemStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );
}

/**
 * A signed-in route: a session's access token or an API token, with either scheme. The scope an
 * API token needs follows from the method, as it does at run time; `withScopes` writes it in.
 */
export const bearerSecurity = [{ bearerAuth: [] }];

/** The role of routes that API tokens cannot call, whatever their scopes. */
const SESSION = 'session';
export const sessionSecurity: Record<string, string[]>[] = [
  { bearerAuth: [SESSION] },
  { tokenAuth: [SESSION] },
];

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A session's access token (a JWT from /api/token/) or a personal API token (`tsk_…`, from " +
      "/api/tokens/). An operation's roles are what it needs: `read` (GET) or `write` (POST, PUT, " +
      'PATCH, DELETE; a `write` token may read too) for an API token, which is refused with 403 ' +
      "`insufficient_scope` otherwise; `session` only for a session's access token.",
  },
  tokenAuth: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      "The same credentials in the scheme the original service's clients send: " +
      '`Authorization: Token tsk_…` or `Authorization: Token <access>`.',
  },
} as const;

type Operation = { security?: Record<string, string[]>[] };

/** The document with each signed-in operation's scope, under both schemes. */
export function withScopes<Document extends { paths?: object }>(document: Document): Document {
  for (const item of Object.values(document.paths ?? {}) as Record<string, Operation>[])
    for (const [method, operation] of Object.entries(item)) {
      const [requirement] = operation.security ?? [];
      if (requirement?.bearerAuth?.length === 0) {
        const scope = scopeFor(method);
        operation.security = [{ bearerAuth: [scope] }, { tokenAuth: [scope] }];
      }
    }
  return document;
}
