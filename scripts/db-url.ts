// `npm run -s db:url`: the URL of the embedded PostgreSQL under DATA_DIR, password included, for
// `psql "$(npm run -s db:url)"`. It is the cluster `npm start` runs when DATABASE_URL is unset.
import { join } from 'node:path';
import { embeddedPostgresUrl } from '../src/adapters/persistence/embedded-postgres.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error('DATABASE_URL is set: the service uses that server, not the embedded one.');
    return 1;
  }
  const embedded = await embeddedPostgresUrl(config.dataDir);
  if (!embedded) {
    console.error(
      `No embedded PostgreSQL in ${join(config.dataDir, 'postgres')} yet: npm start creates it.`,
    );
    return 1;
  }
  console.log(embedded.url);
  if (!embedded.running) console.error('It is not running now: npm start runs it.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
