import { availableParallelism } from 'node:os';
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

it('serves waiting hashes a client at a time, in turn, and a quiet client ahead of busy ones', async () => {
  const hasher = bcryptPasswordHasher(8);
  const finished: string[] = [];
  const hashFor = (client: string) =>
    hasher.hash('password', { client }).then(() => finished.push(client));
  // Every worker busy, then a backlog from one client, then one hash from another.
  const work = [...Array.from({ length: availableParallelism() }, () => hashFor('first'))];
  work.push(...Array.from({ length: 6 }, () => hashFor('busy')));
  work.push(hashFor('quiet'));
  await Promise.all(work);
  expect(finished.indexOf('quiet')).toBeLessThan(finished.lastIndexOf('busy') - 3);
}, 30_000);

it('drops a waiting hash whose client went away, and refuses one that waited too long', async () => {
  const hasher = bcryptPasswordHasher(10, { queueTimeoutMs: 50 });
  // Busy with the hasher's own first hash (the dummy for unknown users) and these.
  const busy = Array.from({ length: availableParallelism() }, () =>
    hasher.hash('password', { client: 'busy' }).catch(() => 'refused'),
  );
  const client = new AbortController();
  const gone = hasher.hash('password', { client: 'gone', signal: client.signal });
  client.abort();
  await expect(gone).rejects.toMatchObject({ name: 'AbortError' });
  await expect(hasher.hash('password', { client: 'late' })).rejects.toMatchObject({
    name: 'Unavailable',
    code: 'hashing_busy',
    retryAfterSeconds: 1,
  });
  await Promise.all(busy);
  // An aborted signal is refused before it waits at all.
  await expect(hasher.hash('password', { client: 'gone', signal: client.signal })).rejects.toThrow(
    'The client went away.',
  );
}, 30_000);
