import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/adapters/persistence/mikro-orm/timestamps.ts';

const FIRST = Date.parse('0000-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

/** What PostgreSQL writes for `ms` and `extraMicros` in a UTC session: fraction zeros trimmed. */
function postgresText(ms: number, extraMicros: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = `${iso.slice(20, 23)}${String(extraMicros).padStart(3, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}+00:00`;
}

describe("a timestamptz as PostgreSQL's JSON writes it", () => {
  it('is read as new Date reads it across the years 0000–9999, microseconds cut', () => {
    const edges = [0, FIRST, LAST, Date.parse('2024-02-29T23:59:59.999Z'), -1, 951_782_400_000];
    // A fixed stride through the range rather than random draws, so a failure repeats.
    const spread = Array.from(
      { length: 10_000 },
      (_, i) => FIRST + Math.floor(((LAST - FIRST) / 10_000) * i) + (i % 1000),
    );
    for (const [i, ms] of [...edges, ...spread].entries())
      for (const micros of [0, i % 1000, 999]) {
        const text = postgresText(ms, micros);
        const read = parseTimestamp(text).getTime();
        expect(read, text).toBe(new Date(text).getTime());
        expect(read, text).toBe(ms);
      }
  });

  it('leaves any other shape to new Date', () => {
    for (const text of [
      '12025-01-01T00:00:00+00:00',
      '0044-03-15T00:00:00+00:00 BC',
      '2025-01-01T00:00:00+01:00',
      '2025-01-01 00:00:00+00',
      'infinity',
    ])
      expect(parseTimestamp(text).getTime()).toEqual(new Date(text).getTime());
  });
});
