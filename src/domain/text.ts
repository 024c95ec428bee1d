import { CASE_FOLDING } from './case-folding.ts';

/** Length in Unicode code points, the unit every length rule of the contract counts in. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Orders strings by code point, as PostgreSQL's "C" collation does for UTF-8. */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done || r.done) return l.done === r.done ? 0 : l.done ? -1 : 1;
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Full Unicode case folding (CaseFolding.txt, statuses C and F): `ẞ`, `ß` and `SS` all fold to `ss`. */
export function caseFold(text: string): string {
  let folded = '';
  for (const char of text) folded += CASE_FOLDING.get(char.codePointAt(0) as number) ?? char;
  return folded;
}

/**
 * The case-insensitive identity of a text: NFKC, full Unicode case folding, NFKC again (case
 * folding can undo a normalization). Every spelling of a word (`Ǆ`, `ǅ`, `ǆ`; `ẞ`, `ß`, `ss`;
 * full-width letters) has one key.
 */
export function caseInsensitiveKey(text: string): string {
  return caseFold(text.normalize('NFKC')).normalize('NFKC');
}
