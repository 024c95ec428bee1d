// `npm run createsuperuser -- --username NAME [--email EMAIL] [--password-stdin]`: creates a staff
// user, who sees and changes every task. The password is asked for twice on the terminal, or read
// from standard input for scripts: `printf %s "$PASSWORD" | npm run createsuperuser -- …`.
// `npm run createsuperuser -- --promote USERNAME` makes an account that registered staff instead.
import { parseArgs } from 'node:util';
import { bcryptPasswordHasher } from '../src/adapters/bcrypt-password-hasher.ts';
import { createLogger } from '../src/adapters/logger.ts';
import { DatabaseStartError, migrateDatabase } from '../src/adapters/persistence/database.ts';
import type { MikroOrmPersistence } from '../src/adapters/persistence/mikro-orm/persistence.ts';
import { systemClock } from '../src/adapters/system-clock.ts';
import { promoteUser } from '../src/application/accounts/promote-user.ts';
import { register } from '../src/application/accounts/register.ts';
import { openDatabase } from '../src/compose.ts';
import { type Config, ConfigError, loadConfig } from '../src/config.ts';
import { DomainError } from '../src/domain/errors.ts';
import { PromptAborted, promptHidden, readPasswordFromStdin } from './read-password.ts';

const USAGE = [
  'Usage: npm run createsuperuser -- --username NAME [--email EMAIL] [--password-stdin]',
  '       npm run createsuperuser -- --promote USERNAME',
].join('\n');

/** A mistake of the person running the command: its message is all they need to see. */
class UsageError extends Error {}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return readPasswordFromStdin();
  if (!process.stdin.isTTY)
    throw new UsageError('No terminal to ask for the password on: pass --password-stdin.');
  const password = await promptHidden('Password: ');
  if ((await promptHidden('Password (again): ')) !== password)
    throw new UsageError('The two passwords differ.');
  return password;
}

/** Runs `work` on the configured database, migrated first. */
async function withDatabase(
  config: Config,
  work: (persistence: MikroOrmPersistence) => Promise<void>,
): Promise<void> {
  // Its own log lines would only clutter a command's output; warnings still show.
  const logger = createLogger('warn');
  const database = await openDatabase(config, logger, 'share');
  try {
    await migrateDatabase(database, logger);
    await work(database.persistence);
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      email: { type: 'string', default: '' },
      'password-stdin': { type: 'boolean', default: false },
      promote: { type: 'string' },
    },
  });
  const { username, promote } = values;
  if (promote !== undefined) {
    if (username !== undefined || values['password-stdin']) throw new UsageError(USAGE);
    await withDatabase(loadConfig(), async (persistence) => {
      const { user, wasStaff } = await promoteUser(persistence, { username: promote });
      console.log(
        `User "${user.username}" (id ${user.id}) is ${wasStaff ? 'staff already' : 'now staff'}.`,
      );
    });
    return;
  }
  if (!username) throw new UsageError(USAGE);
  const config = loadConfig();
  const password = await readPassword(values['password-stdin'] ?? false);
  await withDatabase(config, async (persistence) => {
    const user = await register(
      {
        users: persistence.users,
        hasher: bcryptPasswordHasher(config.bcryptCost),
        clock: systemClock,
      },
      { username, password, email: values.email, isStaff: true },
    );
    console.log(`Superuser "${user.username}" created (id ${user.id}).`);
  });
}

/** Every message of a validation error, one per line, as `field: message`. */
function describe(error: DomainError): string {
  const lines = Object.entries(error.fields ?? {}).flatMap(([field, messages]) =>
    messages.map((message) => `${field}: ${message}`),
  );
  return lines.length > 0 ? lines.join('\n') : error.message;
}

main().catch((error: unknown) => {
  if (error instanceof DomainError) console.error(describe(error));
  else if (
    error instanceof UsageError ||
    error instanceof PromptAborted ||
    error instanceof ConfigError ||
    error instanceof DatabaseStartError
  )
    console.error(error.message);
  else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
    console.error(`${(error as Error).message}\n${USAGE}`);
  else console.error(error);
  process.exit(1);
});
