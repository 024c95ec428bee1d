import { z } from '@hono/zod-openapi';

/** A task's ETag is its version: the version changes exactly when the representation does. */
export const etagOf = (version: number) => `"${version}"`;

export const ETagHeader = {
  ETag: { description: 'The version, quoted.', schema: { type: 'string' as const } },
};
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ description: 'Only write if the resource is still this version.' }),
});
export const IfNoneMatchHeaders = z.object({ 'if-none-match': z.string().optional() });

function entityTags(header: string): string[] {
  return header.split(',').map((tag) => tag.trim());
}

/** The versions an `If-Match` names; undefined when there is no header or it is `*`. */
export function ifMatchVersions(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  return entityTags(header).flatMap((tag) => {
    const strong = /^"(\d+)"$/.exec(tag);
    return strong ? [Number(strong[1])] : [];
  });
}

/** `If-None-Match` uses weak comparison (RFC 9110 §13.1.2), so `W/"3"` matches `"3"`. */
export function noneMatch(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  const current = etagOf(version);
  return entityTags(header).some((tag) => tag === '*' || tag.replace(/^W\//, '') === current);
}
