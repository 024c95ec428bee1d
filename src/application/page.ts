export interface Page<T, K> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  next: K | null;
}

/** Rows are fetched with one extra row: its presence is what says another page exists. */
export function toPage<T, K>(rows: T[], limit: number, keyOf: (row: T) => K): Page<T, K> {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  return { items, next: keyOf(items[limit - 1] as T) };
}
