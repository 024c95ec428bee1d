import { fc } from '@fast-check/vitest';

/**
 * Runs per property (fewer on PostgreSQL, where each costs more and finds what the database
 * refuses), with a time limit to match, and the seed and path to replay one: a failure prints
 * `{ seed: …, path: "…" }`, and `FUZZ_SEED=… FUZZ_PATH=… npx vitest run <file> -t <name>`
 * replays exactly that counterexample. `FUZZ_RUNS` runs more (or fewer) examples.
 */
export function fuzzing(runs: { inMemory: number; postgres: number }) {
  const { FUZZ_SEED, FUZZ_PATH, FUZZ_RUNS, TEST_PERSISTENCE } = process.env;
  const numRuns = FUZZ_RUNS
    ? Number(FUZZ_RUNS)
    : TEST_PERSISTENCE === 'postgres'
      ? runs.postgres
      : runs.inMemory;
  return {
    parameters: {
      numRuns,
      ...(FUZZ_SEED && { seed: Number(FUZZ_SEED) }),
      ...(FUZZ_PATH && { path: FUZZ_PATH }),
    },
    // A property that outlives its test keeps writing while the next one runs: never cut one off.
    timeout: 20_000 + numRuns * 50,
  };
}

/** An arbitrary built when a property runs, from fixtures that do not exist before then. */
export const lazy = <T>(make: () => fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.constant(null).chain(make);

/** Strings that break things: empty, blank, huge, NUL, lone surrogates, bidi, homoglyphs. */
const nasty = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff x',
  '\u202e',
  '😀',
  'Ａｄａ',
  'ﬁ',
  '%',
  '%00',
  '\\',
  "'; drop table tasks; --",
  '%_',
  '<script>',
  '__proto__',
  'constructor',
  'x'.repeat(255),
  'x'.repeat(256),
  'é'.repeat(200),
  'é'.repeat(201),
  'x'.repeat(10_001),
);

export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: nasty },
);

const nastyNumber = fc.constantFrom(
  0,
  -1,
  1.5,
  -0,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 53,
  1e300,
  Number.MAX_SAFE_INTEGER,
);

/** Any JSON value a client could send, weighted towards the shapes schemas expect. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true }), nastyNumber) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A value for an id field: real ids and every way of not being one. */
export const idLike = (ids: number[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ids) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 1_000_000 }) },
    { weight: 1, arbitrary: nastyNumber },
    { weight: 1, arbitrary: anyJson },
  );

/** Mostly a valid value, sometimes anything at all: one bad field among good ones. */
export const validOrAny = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 7, arbitrary: valid }, { weight: 1, arbitrary: anyJson });

/** Keys no schema knows, including the ones that shadow Object.prototype. */
const unknownKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'is_staff', 'owner', 'createdBy'),
  fc.string({ minLength: 1, maxLength: 12 }),
);

/**
 * A body built from a schema's fields: each present or not, each valid or not, sometimes with
 * unknown keys, sometimes not an object at all.
 */
export function nearValidBody(fields: Record<string, fc.Arbitrary<unknown>>) {
  const shaped = fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.dictionary(unknownKey, anyJson, { minKeys: 1, maxKeys: 2 }) },
      ),
    )
    .map(([known, extra]) => {
      if (!extra) return known;
      // defineProperty, so a "__proto__" key becomes an own key as JSON.parse would make it.
      const body: Record<string, unknown> = { ...known };
      for (const [key, value] of Object.entries(extra))
        Object.defineProperty(body, key, { value, enumerable: true, writable: true });
      return body;
    });
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

/** Bytes that are not JSON, or not quite: truncations and corruptions of a valid body. */
export const malformedJson = (valid: string) =>
  fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.nat({ max: valid.length }).map((at) => valid.slice(0, at)),
    fc
      .tuple(fc.nat({ max: valid.length }), fc.string({ minLength: 1, maxLength: 3 }))
      .map(([at, junk]) => valid.slice(0, at) + junk + valid.slice(at)),
  );

/** What an HTTP header can carry: printable Latin-1, tabs, and nothing else. */
export const headerValue = fc.string({
  unit: fc
    .oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0xa0, max: 0xff }),
      fc.constant(9),
    )
    .map((code) => String.fromCharCode(code)),
  maxLength: 200,
});

export const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/json;charset=latin1',
    'application/merge-patch+json',
    'application/problem+json',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
  ),
  headerValue,
);

export const entityTags = fc.oneof(
  fc.constantFrom('*', '"1"', '"2"', 'W/"1"', '"0"', '""', '"1", "2"', ' "1" ', '"-1"', '"1e3"'),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => `"${n}"`),
  fc
    .array(
      fc.nat().map((n) => `"${n}"`),
      { maxLength: 5 },
    )
    .map((tags) => tags.join(',')),
  headerValue,
);

/** `Authorization` values: the real token and every way of mangling or replacing it. */
export const authorization = (token: string) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.constantFrom(`Bearer ${token}`, `Token ${token}`, `bearer   ${token}  `),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.nat({ max: token.length }), fc.string({ maxLength: 3 }), fc.nat({ max: 3 }))
        .map(
          ([at, insert, drop]) => `Bearer ${token.slice(0, at)}${insert}${token.slice(at + drop)}`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        'Token',
        'Basic YTpi',
        'Bearer a b',
        'Bearer ..',
      ),
    },
    { weight: 2, arbitrary: headerValue.map((value) => `Bearer ${value}`) },
    { weight: 1, arbitrary: headerValue },
  );

/** A path segment where a task id goes. */
export const pathId = fc.oneof(
  fc.nat({ max: 50 }).map(String),
  fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
  fc.constantFrom(
    '0',
    '-1',
    '1.0',
    '1e1',
    '0x1',
    '01',
    '0000000001',
    ' 1',
    '%20',
    '%00',
    '..',
    '%2e%2e',
    '%2F',
    'null',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map(encodeURIComponent),
);

/** A query string: known parameters with good and bad values, unknown ones, repeats, raw junk. */
export function queryString(known: Record<string, fc.Arbitrary<string>>) {
  const pairs = fc.array(
    fc.oneof(
      ...Object.entries(known).map(([name, value]) =>
        fc.tuple(
          fc.constant(name),
          fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: anyString }),
        ),
      ),
      fc.tuple(fc.string({ maxLength: 8 }), anyString),
    ),
    { maxLength: 6 },
  );
  return fc.oneof(
    { weight: 5, arbitrary: pairs.map((entries) => new URLSearchParams(entries).toString()) },
    {
      weight: 1,
      arbitrary: fc.string({
        unit: fc.constantFrom(...'abc=&%+?;[]01ÿé'.split('')),
        maxLength: 30,
      }),
    },
  );
}

/** A due date as a client may send one: valid instants in any offset, and near misses. */
export const dueAtLike = fc.oneof(
  { weight: 4, arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.date({
          min: new Date('0001-01-02T00:00:00Z'),
          max: new Date('9999-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14, max: 14 }),
      )
      .map(([date, hours]) => {
        const local = new Date(date.getTime() + hours * 3_600_000).toISOString().slice(0, 19);
        const sign = hours < 0 ? '-' : '+';
        return `${local}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`;
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      '2026-02-30T00:00:00Z',
      '2026-01-01T00:00:00',
      '2026-01-01',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59-01:00',
      '+275760-09-13T00:00:00Z',
      'infinity',
      '-infinity',
      'now',
    ),
  },
  { weight: 1, arbitrary: anyJson },
);

export const priorityLike = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('none', 'low', 'medium', 'high', 'urgent') },
  { weight: 1, arbitrary: fc.constantFrom('URGENT', 'critical', '', ' low', '0', '4') },
  { weight: 1, arbitrary: anyJson },
);

/** One label: ordinary words in any case, and every way a label can be wrong. */
const labelLike = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('bug', 'Bug', 'BUG', 'ui', 'Straße', 'STRASSE', 'ǅ') },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 51 }) },
  { weight: 1, arbitrary: fc.constantFrom('a,b', ',', '{}', '"', '\\', 'NULL', '{a,b}') },
  { weight: 1, arbitrary: anyString },
);

export const labelsLike = fc.oneof(
  { weight: 5, arbitrary: fc.array(labelLike, { maxLength: 22 }) },
  { weight: 1, arbitrary: anyJson },
);

/** `label=` values for a list's query: names, near misses, and junk. */
export const labelQuery = fc.oneof(labelLike, fc.string({ maxLength: 60 }));
