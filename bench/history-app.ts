// A bench-only composition for bench/history.ts: the whole service, as src/main.ts composes it,
// with HISTORY=off swapping the task UPDATE that carries its history entry for the UPDATE alone
// (the write as it was before task history), so that the two differ in that statement only.
import { serve } from '@hono/node-server';
import { createLogger } from '../src/adapters/logger.ts';
import { composeApi, openDatabase, signingSecret } from '../src/compose.ts';
import { loadConfig } from '../src/config.ts';
import { withoutHistory } from './without-history.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config, logger, 'own');
const { persistence } = database;

const { app } = composeApi({
  config,
  logger,
  database:
    process.env.HISTORY === 'off'
      ? { ...database, persistence: { ...persistence, ...withoutHistory(persistence) } }
      : database,
  jwtSecret: await signingSecret(config),
});
serve({ fetch: app.fetch, port: config.port });
process.once('SIGTERM', () => process.exit(0));
