import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { userDraft } from '../contracts/users.contract.ts';
import { SOURCE_OPTIONS } from '../service-process.ts';
import { createTestDatabase, type TestDatabase } from '../setup/postgres-database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** `npm run createsuperuser -- …args`, as an operator runs it; resolves with its outcome. */
async function createsuperuser(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [...SOURCE_OPTIONS, 'scripts/createsuperuser.ts', ...args],
      { env: { ...process.env, DATABASE_URL: database.url, BCRYPT_COST: '4' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each run starts Node, loads the ORM and connects: seconds, on a busy machine.
const SLOW = 60_000;

it(
  '--promote makes a registered account staff, and says so when it already is',
  async () => {
    const ada = await database.persistence.users.add(userDraft('ada'));

    expect(await createsuperuser('--promote', 'ADA')).toMatchObject({
      code: 0,
      stdout: `User "ada" (id ${ada.id}) is now staff.\n`,
    });
    expect((await database.persistence.users.byId(ada.id))?.isStaff).toBe(true);
    expect((await createsuperuser('--promote', 'ada')).stdout).toBe(
      `User "ada" (id ${ada.id}) is staff already.\n`,
    );
  },
  SLOW,
);

it(
  '--promote names an unknown user and refuses to mix with creating one',
  async () => {
    expect(await createsuperuser('--promote', 'nobody')).toMatchObject({
      code: 1,
      stderr: 'No User matches the given query.\n',
    });
    const mixed = await createsuperuser('--promote', 'ada', '--username', 'bob');
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/^Usage: /);
  },
  SLOW,
);
