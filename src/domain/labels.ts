import { caseInsensitiveKey, codePointLength, compareCodePoints } from './text.ts';

export const LABEL_MAX = 50;
export const LABELS_MAX = 20;

/**
 * What makes two labels one: the key usernames have (`caseInsensitiveKey`), so `Urgent`,
 * `URGENT` and `urgent` are one label, and `Straße` is `STRASSE`.
 */
export function labelKey(label: string): string {
  return caseInsensitiveKey(label);
}

/** What is wrong with one label once trimmed, if anything. */
export function labelError(label: string): string | null {
  if (label.length === 0) return 'A label may not be blank.';
  if (codePointLength(label) > LABEL_MAX)
    return `Ensure each label has no more than ${LABEL_MAX} characters.`;
  if (label.includes(',')) return 'A label may not contain a comma.';
  if (label.includes('\u0000')) return 'Null characters are not allowed.';
  return null;
}

// Keys are unique once duplicates are merged, so they alone order the labels.
const byKey = (a: string, b: string) => compareCodePoints(labelKey(a), labelKey(b));

/**
 * A task's labels as stored: each trimmed, duplicates by case-insensitive comparison merged
 * (the first spelling kept), sorted case-insensitively. Returns the errors instead when a label
 * breaks a rule or there are more than LABELS_MAX.
 */
export function normalizeLabels(raw: readonly string[]): string[] | { errors: string[] } {
  const kept = new Map<string, string>();
  const errors = new Set<string>();
  for (const label of raw.map((each) => each.trim())) {
    const error = labelError(label);
    if (error) errors.add(error);
    else if (!kept.has(labelKey(label))) kept.set(labelKey(label), label);
  }
  if (errors.size > 0) return { errors: [...errors] };
  if (kept.size > LABELS_MAX)
    return { errors: [`Ensure this field has no more than ${LABELS_MAX} labels.`] };
  return [...kept.values()].sort(byKey);
}

export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, index) => label === b[index]);
}
