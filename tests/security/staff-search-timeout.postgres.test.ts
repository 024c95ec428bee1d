// Security review finding 6, on PostgreSQL: a search over every task holds its connection at most
// SEARCH_TIMEOUT_MS, whatever makes it slow, then answers 400 saying why. Made slow here by a lock
// on the table, which the statement timeout counts like any other wait.
import { expect, it } from 'vitest';
import { SEARCH_TIMEOUT_MS } from '../../src/adapters/persistence/mikro-orm/tasks.ts';
import { harness } from '../harness.ts';
import { sharedTestDatabase } from '../setup/postgres-database.ts';

it(`refuses a search over every task that runs past ${SEARCH_TIMEOUT_MS} ms, and frees its connection`, async () => {
  const h = await harness();
  const staff = await h.signUp({ staff: true });
  const database = await sharedTestDatabase();
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const lockTaken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = database.persistence.orm.em.fork().transactional(async (em) => {
    await em.execute('lock table tasks in access exclusive mode');
    locked();
    await held;
  });
  await lockTaken;
  try {
    const started = performance.now();
    const response = await h.request('GET', '/api/tasks/?search=milk', { token: staff.token });
    const ms = performance.now() - started;
    expect(response.status).toBe(400);
    expect((await response.json()).errors.search).toEqual([
      'This search would take too long over every task: add words, or filter by status, assignee or creator.',
    ]);
    // The statement's own bound, with room for a busy machine; it would otherwise wait for the lock.
    expect(ms).toBeLessThan(1000);
  } finally {
    release();
    await holder;
  }
  expect((await h.request('GET', '/api/tasks/?search=milk', { token: staff.token })).status).toBe(
    200,
  );
});
