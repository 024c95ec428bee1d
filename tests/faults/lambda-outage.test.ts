// The Lambda endpoint failing every invocation, then hanging, then back, under a write load.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);
const forwardable = (headers: IncomingHttpHeaders | Headers) =>
  Object.fromEntries(
    [...(headers instanceof Headers ? headers : Object.entries(headers))]
      .filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()))
      .map(([name, value]) => [name, String(value)]),
  );

/** A hop in front of `target` that can stop answering: a Lambda endpoint gone slow. */
async function hangingProxy(target: string) {
  const hung = new Set<ServerResponse>();
  let hanging = false;
  let reached = 0;
  let abandoned = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (hanging) {
      reached += 1;
      hung.add(response);
      response.once('close', () => {
        if (hung.delete(response)) abandoned += 1;
      });
      return;
    }
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers: forwardable(request.headers),
      body: Buffer.concat(chunks),
    });
    response.writeHead(upstream.status, forwardable(upstream.headers));
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** While hanging, invocations get no answer; ending it drops the connections left hanging. */
    hang(value: boolean) {
      hanging = value;
      if (value) return;
      const left = [...hung];
      hung.clear();
      for (const response of left) response.destroy();
    },
    /** Invocations that met the hang. */
    reached: () => reached,
    /** Hung invocations the caller gave up on. */
    abandoned: () => abandoned,
    async close() {
      for (const response of hung) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

it('answers writes as fast while Lambda fails or hangs, and delivers every event once it is back', async () => {
  const database = await createTestDatabase();
  onTestFinished(() => database.drop());
  let failing = true;
  let refused = 0;
  const lambda = await recordingLambda({
    fault: () => {
      if (!failing) return undefined;
      refused += 1;
      return { status: 503, type: 'ServiceException' };
    },
  });
  onTestFinished(() => lambda.close());
  const proxy = await hangingProxy(lambda.url);
  onTestFinished(() => proxy.close());
  const service = await startService(serviceEnv(database.url, proxy.url));
  onTestFinished(async () => {
    await service.stop();
  });

  const load = startLoad(service.url, await signUpUsers(service.url, 4), 2, 50);
  load.phase('failing');
  expect(await eventually(() => refused >= 10, 10_000)).toBe(true);

  load.phase('hanging');
  proxy.hang(true);
  failing = false;
  // Until the notifier's own timeout has cut off a hung invocation.
  expect(await eventually(() => proxy.abandoned() >= 1, 15_000)).toBe(true);

  load.phase('back');
  proxy.hang(false);
  await sleep(500);
  await load.stop();

  const { ledger } = load;
  expect(ledger.refusals).toEqual([]);
  // Nothing about Lambda is on a request's path: no answer waited as long as a hung send does
  // (5 s) before the notifier gives up on it.
  for (const phase of ['failing', 'hanging', 'back'])
    expect(ledger.slowestMs.get(phase), phase).toBeLessThan(4000);

  const stored = await databaseState(database.url);
  for (const id of ledger.completed) expect(stored.eventsOf(id), `task ${id}`).toHaveLength(1);
  expectReminders(stored, ledger);
  // Reminders as completions: none lost to the outage, none doubled once de-duplicated.
  const eventIds = owedEvents(stored);
  expect(await eventually(() => receivedAll(stored, lambda.distinct()), 30_000)).toBe(true);
  // The load's completions may withdraw every reminder before Lambda is back: only that some
  // were recorded during the outage is certain, and that each still owed arrived.
  expect(ledger.reminded.size).toBeGreaterThan(0);
  const reminders = [...lambda.distinct().values()].filter((event) => event.event === 'task.due');
  const after = await databaseState(database.url);
  const retried = after.events.filter((event) => event.attempts > 1).length;
  expect(retried).toBeGreaterThan(0);
  console.info(
    `Lambda outage: ${ledger.completed.size} completions acknowledged, ${refused} invocations refused, ` +
      `${proxy.reached()} hung (${proxy.abandoned()} timed out), ${retried} events retried, ${eventIds.size} delivered ` +
      `(${reminders.length} reminders), ` +
      `${lambda.duplicates()} raw duplicate deliveries`,
  );
}, 90_000);
