import { describe, expect, it } from 'vitest';
import { instant, instantOrNull } from '../../src/adapters/http/instants.ts';

const FIRST = Date.parse('0000-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

describe('an instant as the API writes it', () => {
  it("is toISOString's form across the years 0000–9999", () => {
    const edges = [
      new Date(0),
      new Date('0000-01-01T00:00:00.000Z'),
      new Date(LAST),
      new Date('2024-02-29T23:59:59.999Z'),
      new Date('0001-01-01T00:00:00.000Z'),
      new Date('1969-12-31T23:59:59.001Z'),
    ];
    // A fixed stride through the range rather than random draws, so a failure repeats.
    const spread = Array.from(
      { length: 10_000 },
      (_, i) => new Date(FIRST + Math.floor(((LAST - FIRST) / 10_000) * i) + (i % 1000)),
    );
    for (const date of [...edges, ...spread]) expect(instant(date)).toBe(date.toISOString());
  });

  it('leaves other years and invalid dates to toISOString', () => {
    for (const date of [
      new Date('+010000-01-01T00:00:00.000Z'),
      new Date('-000001-06-01T12:00:00.000Z'),
    ])
      expect(instant(date)).toBe(date.toISOString());
    expect(() => instant(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('keeps null', () => {
    expect(instantOrNull(null)).toBeNull();
    expect(instantOrNull(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  });
});
