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
