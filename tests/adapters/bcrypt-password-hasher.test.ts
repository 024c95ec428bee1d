import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { bcryptPasswordHasher } from '../../src/adapters/bcrypt-password-hasher.ts';

it('hashes with the configured cost and verifies only the right password', async () => {
  const hasher = bcryptPasswordHasher(4);
  const hash = await hasher.hash('correct horse');
  expect(hash).toMatch(/^\$2b\$04\$/);
  expect(await hasher.verify('correct horse', hash)).toBe(true);
  expect(await hasher.verify('wrong horse', hash)).toBe(false);
  // An unknown user: compared against a dummy hash, and never a match.
  expect(await hasher.verify('correct horse', null)).toBe(false);
});

it('computes hashes off the event loop, so other work goes on meanwhile', async () => {
  const hasher = bcryptPasswordHasher(12);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await Promise.all([hasher.hash('one'), hasher.hash('two'), hasher.hash('three')]);
  delay.disable();
  // On the event loop, bcryptjs blocked it for slices of 100 ms; a worker thread, not at all.
  expect(delay.max / 1e6).toBeLessThan(80);
});
