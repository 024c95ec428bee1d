// PostgreSQL stopped and started again under a running service and a steady write load.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import {
  type PostgresServer,
  startEmbeddedPostgres,
} from '../../src/adapters/persistence/embedded-postgres.ts';
import { startService } from '../service-process.ts';
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

it('answers 503 while PostgreSQL is down, recovers without a restart, and loses nothing it acknowledged', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'task-api-fault-postgres-'));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  let postgres: PostgresServer = await startEmbeddedPostgres({ dataDir, throwaway: true });
  onTestFinished(() => postgres.stop());
  const port = Number(new URL(postgres.url).port);
  const lambda = await recordingLambda();
  onTestFinished(() => lambda.close());
  const service = await startService(serviceEnv(postgres.url, lambda.url));
  onTestFinished(async () => {
    await service.stop();
  });
  const pid = service.child.pid;

  const load = startLoad(service.url, await signUpUsers(service.url, 4), 4, 5);
  await sleep(500);

  load.phase('outage');
  await postgres.stop();
  expect(await eventually(() => load.count('outage', 503) >= 10, 10_000)).toBe(true);

  load.phase('recovering');
  postgres = await startEmbeddedPostgres({ dataDir, throwaway: true, port });
  expect(await eventually(() => load.count('recovering', 201) >= 10, 15_000)).toBe(true);
  load.phase('after');
  await sleep(500);
  await load.stop();

  const { ledger } = load;
  // Failures only while the database was away, and each one a 503 problem document.
  const duringFault = (phase: string) => phase === 'outage' || phase === 'recovering';
  expect(ledger.refusals.filter((answer) => !answer.phases.some(duringFault))).toEqual([]);
  for (const answer of ledger.refusals) {
    expect(answer.status).toBe(503);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 503, code: 'database_unavailable' });
  }
  expect(load.count('after', 201)).toBeGreaterThan(0);
  expect(service.child.exitCode).toBeNull();
  expect(service.child.pid).toBe(pid);

  // Every acknowledged write is in the database as acknowledged.
  const stored = await databaseState(postgres.url);
  for (const id of ledger.created.keys()) expect(stored.tasks.get(id), `task ${id}`).toBeDefined();
  for (const id of ledger.completed) expect(stored.tasks.get(id), `task ${id}`).toBe('completed');
  // Each completed task, acknowledged or not, has exactly one completion event: the change and
  // its event committed together or not at all.
  for (const [id, status] of stored.tasks)
    expect(stored.eventsOf(id), `events of task ${id}`).toHaveLength(
      status === 'completed' ? 1 : 0,
    );

  // Every event reaches the receiver; de-duplicated by event_id, each exactly once.
  expectReminders(stored, ledger);
  const eventIds = owedEvents(stored);
  expect(await eventually(() => receivedAll(stored, lambda.distinct()), 30_000)).toBe(true);
  expect(receivedAll(stored, lambda.distinct())).toBe(true);
  console.info(
    `PostgreSQL restart: ${ledger.created.size} creates and ${ledger.completed.size} completions acknowledged, ` +
      `${load.count('outage', 503) + load.count('recovering', 503)} answered 503, ` +
      `${eventIds.size} events delivered, ${lambda.duplicates()} raw duplicate deliveries`,
  );
}, 90_000);
