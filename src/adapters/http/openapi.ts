import { z } from '@hono/zod-openapi';

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
  403: 'Not allowed to make this change.',
  404: 'No such resource, or not visible to the caller.',
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

export const bearerSecurity = [{ bearerAuth: [] }];
