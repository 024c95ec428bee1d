const ZERO = '0'.charCodeAt(0);
const DASH = '-'.charCodeAt(0);
const T = 'T'.charCodeAt(0);
const COLON = ':'.charCodeAt(0);
const DOT = '.'.charCodeAt(0);
const UTC = '+00:00';
const SHORTEST = '0000-00-00T00:00:00+00:00'.length;
const LONGEST = '0000-00-00T00:00:00.000000+00:00'.length;
const DAY_MS = 86_400_000;

const twoDigits = (text: string, at: number) =>
  (text.charCodeAt(at) - ZERO) * 10 + text.charCodeAt(at + 1) - ZERO;

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * A timestamptz as PostgreSQL writes it in JSON for a session in UTC (orm.ts):
 * `2026-11-24T09:30:00+00:00`, with up to six digits of fraction. Read as `new Date(text)`
 * reads it, microseconds cut to milliseconds, in under half the time: V8's date parser took
 * 0.43 µs an instant, more than half of the mapping of a page of 50 tasks. What does not have
 * that shape (years past 9999, BC, `infinity`) is left to `new Date`.
 */
export function parseTimestamp(text: string): Date {
  const length = text.length;
  if (
    length < SHORTEST ||
    length > LONGEST ||
    text.charCodeAt(4) !== DASH ||
    text.charCodeAt(7) !== DASH ||
    text.charCodeAt(10) !== T ||
    text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON ||
    (length > SHORTEST && text.charCodeAt(19) !== DOT) ||
    !text.endsWith(UTC)
  )
    return new Date(text);
  let ms = 0;
  for (let at = 20, scale = 100; at < length - UTC.length && scale >= 1; at++, scale /= 10)
    ms += (text.charCodeAt(at) - ZERO) * scale;
  const days = daysFromCivil(
    twoDigits(text, 0) * 100 + twoDigits(text, 2),
    twoDigits(text, 5),
    twoDigits(text, 8),
  );
  return new Date(
    days * DAY_MS +
      twoDigits(text, 11) * 3_600_000 +
      twoDigits(text, 14) * 60_000 +
      twoDigits(text, 17) * 1000 +
      ms,
  );
}
