// `npx node bench/middleware.ts [--quick]` (after `npm run build`): what each part of the read
// path costs. The task read runs behind a growing prefix of the service's middleware stack, each
// in a process of its own (bench/parts-app.ts), then in the service itself; the read and a page
// of 50 are also measured through MikroORM's hydration instead of the repository's plain SQL.
import { parseArgs } from 'node:util';
import { measure, productionCommand, runMain, setUp } from './harness.ts';
import { table } from './report.ts';
import { hello, type Step, serviceSteps } from './steps.ts';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const seconds = args.quick ? { warmup: 1, measure: 3 } : { warmup: 3, measure: 15 };

const LADDER = ['request-id', 'log', 'headers', 'jwt', 'throttle'];
const LABELS: Record<string, string> = {
  'request-id': '+ request id',
  log: '+ request log and metrics',
  headers: '+ secure headers',
  jwt: '+ JWT check (jose)',
  throttle: '+ throttle (Redis)',
};

runMain(async () => {
  const { db, serviceEnv, node } = await setUp();
  // The service's heap settings for every composition, so that they differ in their parts alone.
  const { flags, script } = await productionCommand();
  const { steps } = serviceSteps(db.fixtures, { created: [], completed: [] });
  const read = steps.find((step) => step.key === 'task') as Step;
  const page = steps.find((step) => step.key === 'page') as Step;

  const helloServer = await node('hello', ['bench/hello.ts'], {}, '/hello');
  const rows = [await measure(helloServer, hello, seconds)];
  await helloServer.stop();
  const helloRate = rows[0]?.requestsPerSecond;

  const variant = async (name: string, label: string, step: Step, env: Record<string, string>) => {
    const app = await node(
      name,
      [...flags, 'bench/parts-app.ts'],
      { ...serviceEnv, ...env },
      '/healthz',
    );
    rows.push(await measure(app, { ...step, label }, seconds, helloRate));
    await app.stop();
  };
  await variant('sql', 'task by id, no middleware (plain SQL)', read, {});
  for (const [i, part] of LADDER.entries())
    await variant(part, LABELS[part] as string, read, { PARTS: LADDER.slice(0, i + 1).join(',') });
  const service = await node('service', [...flags, script], serviceEnv, '/readyz');
  rows.push(
    await measure(service, { ...read, label: 'the service (dist/main.js)' }, seconds, helloRate),
  );
  await service.stop();

  await variant('orm', 'task by id, no middleware (MikroORM findOne)', read, { READ: 'orm' });
  await variant('page-sql', 'page of 50, no middleware (plain SQL)', page, {});
  await variant('page-orm', 'page of 50, no middleware (MikroORM find)', page, { READ: 'orm' });
  console.log(`\n${table(rows)}`);
});
