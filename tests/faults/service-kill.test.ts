// The service killed with SIGKILL in the middle of a burst of writes, then started again.
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { expect, it, onTestFinished } from 'vitest';
import { startService } from '../service-process.ts';
import { createTestDatabase } from '../setup/postgres-database.ts';
import {
  databaseState,
  eventually,
  expectReminders,
  owedEvents,
  receivedAll,
  recordingLambda,
  serviceEnv,
  signUpUsers,
  sleep,
  startLoad,
} from './load.ts';

it('keeps every acknowledged write across a SIGKILL and notifies every completion once by event_id', async () => {
  const database = await createTestDatabase();
  onTestFinished(() => database.drop());
  const lambda = await recordingLambda();
  onTestFinished(() => lambda.close());
  const env = serviceEnv(database.url, lambda.url);

  const first = await startService(env);
  onTestFinished(() => rm(first.dataDir, { recursive: true, force: true }));
  const exited = once(first.child, 'exit');
  const load = startLoad(first.url, await signUpUsers(first.url, 4), 8);
  await eventually(() => load.count('before', 201) >= 100, 10_000);
  first.child.kill('SIGKILL');
  await Promise.all([load.stop(), exited]);

  const second = await startService(env);
  onTestFinished(async () => {
    await second.stop();
  });
  const { ledger } = load;
  // The burst ends in failed connections, never in an error answer.
  for (const answer of ledger.refusals) expect(answer.status, answer.request).toBe(0);

  const stored = await databaseState(database.url);
  for (const id of ledger.created.keys()) expect(stored.tasks.get(id), `task ${id}`).toBeDefined();
  for (const id of ledger.completed) expect(stored.tasks.get(id), `task ${id}`).toBe('completed');
  for (const [id, status] of stored.tasks)
    expect(stored.eventsOf(id), `events of task ${id}`).toHaveLength(
      status === 'completed' ? 1 : 0,
    );

  // Events the killed process had claimed wait for their lease to lapse; then the new one sends.
  expectReminders(stored, ledger);
  const eventIds = owedEvents(stored);
  expect(await eventually(() => receivedAll(stored, lambda.distinct()), 30_000)).toBe(true);
  await sleep(500);
  expect(receivedAll(stored, lambda.distinct())).toBe(true);
  const delivered = await eventually(
    async () =>
      (await databaseState(database.url)).events.every((event) =>
        ['delivered', 'cancelled'].includes(event.state),
      ),
    10_000,
  );
  expect(delivered).toBe(true);
  console.info(
    `SIGKILL: ${ledger.created.size} creates and ${ledger.completed.size} completions acknowledged, ` +
      `${ledger.refusals.length} requests cut off, ${stored.tasks.size - ledger.created.size} unacknowledged creates committed, ` +
      `${eventIds.size} events delivered, ${lambda.duplicates()} raw duplicate deliveries`,
  );
}, 90_000);
