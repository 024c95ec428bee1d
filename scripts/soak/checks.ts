// The invariants a soak checks once its load has stopped.
import { sleep, type Target } from './service.ts';
import { ledger, stats, type VirtualUser } from './traffic.ts';

export interface Check {
  name: string;
  result: 'PASS' | 'FAIL' | 'SKIP';
  detail: string;
}

export interface MemorySample {
  /** Milliseconds into the load. */
  at: number;
  rss: number;
  heap: number;
}

const RSS_TOLERANCE = 0.2;
const check = (name: string, passed: boolean, detail: string): Check => ({
  name,
  result: passed ? 'PASS' : 'FAIL',
  detail,
});

export const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function answered(): Check[] {
  const all = [...stats.values()];
  const total = all.reduce((sum, stat) => sum + stat.count, 0);
  const failed = all
    .flatMap((stat) => [...stat.statuses])
    .filter(([status]) => status >= 500 || status === 0)
    .reduce((sum, [, count]) => sum + count, 0);
  const unexpected = [...ledger.unexpected].map(
    ([key, count]) =>
      `${key}: ${count} (first: ${JSON.stringify(ledger.unexpectedBodies.get(key))})`,
  );
  return [
    check('no 5xx, no request left unanswered', failed === 0, `${failed} of ${total} requests`),
    check(
      'no unexpected 4xx (races excepted)',
      unexpected.length === 0,
      unexpected.join(', ') || 'only 404 and 412 between concurrent users',
    ),
  ];
}

/** Each user's acknowledged creates, less the acknowledged deletes, are exactly what is listed. */
export async function createsReadable(users: VirtualUser[]): Promise<Check> {
  let created = 0;
  let missing = 0;
  let unexpected = 0;
  for (const user of users) {
    const acknowledged = ledger.created.get(user.username) ?? new Set();
    created += acknowledged.size;
    const expected = [...acknowledged].filter((id) => !ledger.deleted.has(id));
    const listed = await user.listedCreations();
    missing += expected.filter((id) => !listed.has(id)).length;
    unexpected += [...listed].filter((id) => !expected.includes(id)).length;
  }
  return check(
    'every acknowledged create readable unless deleted',
    missing === 0 && unexpected === 0,
    `${created} created, ${ledger.deleted.size} deleted, ${missing} missing, ${unexpected} unexpected`,
  );
}

/** Every acknowledged completion reached the Lambda endpoint once, counted by event_id. */
export async function completionsNotified(target: Target): Promise<Check> {
  const name = 'every completion notified exactly once by event_id';
  const { received } = target;
  if (!received) return { name, result: 'SKIP', detail: "the Lambda endpoint is not this run's" };
  const expected = [...ledger.completions.values()].reduce((sum, n) => sum + n, 0);
  const ours = new Set([...ledger.created.values()].flatMap((ids) => [...ids]));
  // Distinct event ids per task of this run: a database used before may send older events.
  const eventsPerTask = () => {
    const events = new Map<number, Set<string>>();
    for (const event of received)
      if (event.event === 'task.completed' && ours.has(event.task_id))
        events.set(event.task_id, (events.get(event.task_id) ?? new Set()).add(event.event_id));
    return events;
  };
  const distinct = () => [...eventsPerTask().values()].reduce((sum, ids) => sum + ids.size, 0);
  for (let waited = 0; distinct() < expected && waited < 60_000; waited += 500) await sleep(500);
  // A moment longer, so that an event sent twice would show.
  await sleep(1000);
  const events = eventsPerTask();
  let wrong = 0;
  for (const [taskId, count] of ledger.completions)
    if ((events.get(taskId)?.size ?? 0) !== count) wrong += 1;
  for (const taskId of events.keys()) if (!ledger.completions.has(taskId)) wrong += 1;
  const completions = received.filter((event) => event.event === 'task.completed');
  const duplicates = completions.length - new Set(completions.map((event) => event.event_id)).size;
  return check(
    name,
    wrong === 0,
    `${expected} completions, ${distinct()} distinct events, ${wrong} tasks off, ${duplicates} raw duplicates`,
  );
}

/**
 * Every reminder owed reached the Lambda endpoint once, by event_id: one for each task created
 * due within the lead that nothing touched since, and never two for one task and due date.
 */
export async function remindersNotified(target: Target): Promise<Check> {
  const name = 'every reminder notified exactly once by event_id';
  const { received } = target;
  if (!received) return { name, result: 'SKIP', detail: "the Lambda endpoint is not this run's" };
  const owed = [...ledger.dated.keys()].filter((id) => !ledger.touched.has(id));
  const remindersOf = () => {
    const events = new Map<string, Set<string>>();
    for (const event of received)
      if (event.event === 'task.due' && ledger.dated.has(event.task_id)) {
        const key = `${event.task_id} ${event.due_at}`;
        events.set(key, (events.get(key) ?? new Set()).add(event.event_id));
      }
    return events;
  };
  const owedKey = (id: number) => `${id} ${ledger.dated.get(id)}`;
  const arrived = () => owed.filter((id) => remindersOf().has(owedKey(id))).length;
  for (let waited = 0; arrived() < owed.length && waited < 60_000; waited += 500) await sleep(500);
  await sleep(1000);
  const events = remindersOf();
  const missing = owed.filter((id) => (events.get(owedKey(id))?.size ?? 0) !== 1).length;
  const doubled = [...events.values()].filter((ids) => ids.size > 1).length;
  return check(
    name,
    missing === 0 && doubled === 0,
    `${ledger.dated.size} tasks dated, ${owed.length} untouched and owed a reminder, ${missing} missing, ${doubled} (task, due_at) reminded twice`,
  );
}

export function nothingLogged(target: Target): Check[] {
  if (!target.errorLines) return [];
  const errors = target.errorLines();
  return [check('no error logged by the service', errors === 0, `${errors} error lines`)];
}

/** RSS at the end (the last five samples) within 20% of RSS just after the warm-up. */
export function memoryStable(samples: MemorySample[], warmUpMs: number): Check {
  const afterWarmUp = samples.filter((s) => s.at >= warmUpMs && s.at < warmUpMs + 5000);
  const atEnd = samples.slice(-5);
  const baseline = median(afterWarmUp.map((s) => s.rss));
  const end = median(atEnd.map((s) => s.rss));
  const change = end / baseline - 1;
  const name = `memory stable (RSS within ${RSS_TOLERANCE * 100}% of warm-up)`;
  if (!Number.isFinite(change))
    return { name, result: 'SKIP', detail: '/metrics did not report process memory' };
  const heap = `heap ${mib(median(afterWarmUp.map((s) => s.heap)))} → ${mib(median(atEnd.map((s) => s.heap)))}`;
  return check(
    name,
    Math.abs(change) <= RSS_TOLERANCE,
    `RSS ${mib(baseline)} after ${Math.round(warmUpMs / 1000)} s → ${mib(end)} at end (${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%); ${heap}`,
  );
}
