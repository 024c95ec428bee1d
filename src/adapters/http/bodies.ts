import type { Context, MiddlewareHandler } from 'hono';
import { fieldError, NON_FIELD } from '../../domain/errors.ts';

/*
 * Text that is not Unicode is refused (400), never stored altered: a body that is not UTF-8
 * (decoding would turn `\xff` into U+FFFD), and strings holding a lone surrogate (`"\ud800"`),
 * which PostgreSQL's UTF-8 would store as U+FFFD under the ETag of what was sent.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

const mediaType = (c: Context) =>
  (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const notUtf8 = () => fieldError(NON_FIELD, 'The body is not valid UTF-8.');

async function text(c: Context): Promise<string> {
  try {
    return utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw notUtf8();
  }
}

/** Throws naming the first field whose text (or a key of it) is not well-formed Unicode. */
function requireUnicode(value: unknown, path: string[] = []): void {
  const refuse = (at: string[]) =>
    fieldError(at.join('.') || NON_FIELD, 'Not valid Unicode: the text holds a lone surrogate.');
  if (typeof value === 'string' && !value.isWellFormed()) throw refuse(path);
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    if (!key.isWellFormed()) throw refuse(path);
    requireUnicode(item, [...path, key]);
  }
}

/**
 * Every JSON body, checked before any route sees it. The parsed value is left for the route's
 * validation, which then parses nothing again; malformed JSON is left for it to refuse.
 */
export const unicodeBodies: MiddlewareHandler = async (c, next) => {
  if (JSON_TYPE.test(mediaType(c))) {
    const body = await text(c);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return next();
    }
    requireUnicode(value);
    c.req.bodyCache.json = Promise.resolve(value);
  }
  await next();
};

/** The fields of a form body; a field given twice becomes a list, which the schemas refuse. */
async function formFields(c: Context, type: string): Promise<Record<string, unknown>> {
  const body = await text(c);
  const entries: [string, unknown][] = [];
  if (type === 'multipart/form-data') {
    const form = await new Response(body, {
      headers: { 'Content-Type': c.req.header('Content-Type') ?? type },
    })
      .formData()
      .catch(() => {
        throw fieldError(NON_FIELD, 'Malformed form body.');
      });
    for (const entry of form) entries.push(entry);
  } else
    for (const pair of body.split('&').filter(Boolean)) {
      const [key = '', value = ''] = pair.split(/=(.*)/s, 2).map((part) => {
        try {
          return decodeURIComponent(part.replace(/\+/g, ' '));
        } catch {
          // A percent-escape that is not UTF-8 (`%ff`, `%ED%A0%80`): not text at all.
          throw notUtf8();
        }
      });
      entries.push([key, value]);
    }
  const fields = new Map<string, unknown>();
  for (const [key, value] of entries) {
    const known = fields.get(key);
    fields.set(key, known === undefined ? value : [known, value].flat());
  }
  return Object.fromEntries(fields);
}

/**
 * Registration and log-in take form bodies as DRF did (its FormParser and MultiPartParser), as
 * well as JSON: the form's fields are handed on as the JSON body the route validates.
 */
export const formBodies: MiddlewareHandler = async (c, next) => {
  const type = mediaType(c);
  if (FORM_TYPES.includes(type)) {
    const fields = await formFields(c, type);
    requireUnicode(fields);
    const headers = new Headers(c.req.raw.headers);
    headers.set('Content-Type', 'application/json');
    headers.delete('Content-Length');
    c.req.raw = new Request(c.req.raw, { headers, body: JSON.stringify(fields) });
    c.req.bodyCache = { json: Promise.resolve(fields) };
  }
  await next();
};
