/** What a task write was, as its history entry names it. */
export const HISTORY_ACTIONS = [
  'created',
  'updated',
  'completed',
  'reopened',
  'commented',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** A field's value as a client reads it: instants in ISO 8601, everything else as JSON. */
export type RecordedValue = string | number | boolean | null | readonly RecordedValue[];

/** Each changed field, by the name a client knows it by, mapped to `[old, new]`. */
export type FieldChanges = Readonly<Record<string, readonly [RecordedValue, RecordedValue]>>;

/** One history entry as a write records it; the repository gives it its id and task. */
export interface HistoryRecord {
  readonly actorId: number;
  readonly at: Date;
  readonly action: HistoryAction;
  readonly changes: FieldChanges;
}

export interface HistoryEntry extends HistoryRecord {
  readonly id: number;
  readonly taskId: number;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function recorded(value: unknown): RecordedValue {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(recorded);
  return (value ?? null) as RecordedValue;
}

/** `[old, new]` of each field named in `fields`, keyed by the field's name on the wire. */
export function fieldChanges<Fields extends object>(
  fields: readonly (keyof Fields & string)[],
  before: Partial<Fields>,
  after: Partial<Fields>,
): FieldChanges {
  return Object.fromEntries(
    fields.map((field) => [snakeCase(field), [recorded(before[field]), recorded(after[field])]]),
  );
}
