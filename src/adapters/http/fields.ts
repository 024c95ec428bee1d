import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { notFound } from '../../domain/errors.ts';

/** The schema pieces every feature's payloads are built from. */

/** Ids are PostgreSQL `integer`s: anything larger cannot name a row. */
export const ID_MAX = 2_147_483_647;
export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 200;

// Bounds first, aborting, so 1e300 gets one clear message rather than two.
export const Id = z
  .number()
  .min(1, { abort: true })
  .max(ID_MAX, { abort: true })
  .int()
  .openapi({ example: 7 });

export const Instant = z
  .string()
  .openapi({ format: 'date-time', example: '2026-11-24T09:30:00.000Z' });

/** A read-only field a client may send back: accepted, never validated, never written. */
export const echoed = (description: string) =>
  z.unknown().optional().openapi({ readOnly: true, description });

/** Digits naming an id, for query strings. */
export const IdString = z
  .string()
  .regex(/^\d{1,10}$/, { error: 'A valid integer is required.' })
  .transform(Number)
  .pipe(Id);

export const Limit = z
  .string()
  .regex(/^-?\d+$/, { error: 'A valid integer is required.' })
  .transform((digits) => Math.min(Number(digits), LIMIT_MAX))
  .pipe(z.int().min(1))
  .optional()
  .openapi({
    type: 'integer',
    description: `Page size, ${LIMIT_DEFAULT} by default; larger values are clamped to ${LIMIT_MAX}.`,
  });

export const Cursor = z
  .string()
  .optional()
  .openapi({ description: 'Opaque; copy it from the `Link: <…>; rel="next"` header.' });

/** The query of a list paged by id. */
export const PageQuery = z.object({ limit: Limit, cursor: Cursor });

/** The path parameter `name`, documented as an integer. */
export const idParams = <Name extends string>(name: Name) =>
  z.object({
    [name]: z.string().openapi({ param: { name, in: 'path' }, type: 'integer', example: '7' }),
  } as Record<Name, z.ZodString>);

/** A path id that is not a positive integer names nothing: 404, like any unknown id. */
export function pathId(c: Context, name: string, what: string): number {
  const raw = c.req.param(name) ?? '';
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
  if (id < 1 || id > ID_MAX) throw notFound(what);
  return id;
}
