// Security review finding 5 (the part about connection URLs): DATABASE_URL and REDIS_URL with a
// password were printed whole, and the drivers' reasons quote the user name. No log line, start-up
// error or response now holds a URL's credentials. (A malformed JWT_SECRET is config's, tested in
// tests/config.test.ts.)
import { describe, expect, it } from 'vitest';
import { describeServer, withoutCredentials } from '../../src/adapters/connection-urls.ts';
import { connectRedis } from '../../src/adapters/throttling/redis-connection.ts';
import { harness } from '../harness.ts';
import { runToExit } from '../service-process.ts';
import { capturedLogs } from './logs.ts';

const USER = 'tasks_owner_7c1e';
const PASSWORD = 'pw-9Xq2-secret';

describe('what the service prints of a connection URL', () => {
  it('is where it points, never who connects or with what', () => {
    const url = `postgres://${USER}:${PASSWORD}@db.internal:6432/tasks`;
    expect(describeServer(url)).toBe('db.internal:6432/tasks');
    // A URL missing its slashes parses with the credentials in its path.
    expect(describeServer(`postgres:${USER}:${PASSWORD}@db.internal/tasks`)).toBe(
      'an address with no host name',
    );
    expect(withoutCredentials(`password authentication failed for user "${USER}"`, url)).toBe(
      'password authentication failed for user "***"',
    );
    const escaped = `postgres://u:${encodeURIComponent('p@ss/w:rd')}@db/tasks?password=${PASSWORD}`;
    expect(withoutCredentials(`saw p@ss/w:rd and ${PASSWORD}`, escaped)).toBe('saw *** and ***');
  });

  it('is never the credentials in the log of a Redis that refuses or is not there', async () => {
    const logs = capturedLogs();
    const url = `redis://${USER}:${PASSWORD}@127.0.0.1:1`;
    const redis = connectRedis(url, logs.logger);
    for (let i = 0; i < 50 && logs.lines.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await redis.close();
    expect(logs.lines[0]).toMatchObject({ redis: '127.0.0.1:1' });
    expect(logs.text()).not.toContain(PASSWORD);
    expect(logs.text()).not.toContain(USER);
  });

  it('is never in /readyz, whatever failed', async () => {
    const h = await harness({
      readiness: {
        database: () => Promise.reject(new Error(`no route to postgres://${USER}:${PASSWORD}@db`)),
      },
    });
    const body = await (await h.request('GET', '/readyz')).text();
    expect(body).toContain('database');
    expect(body).not.toContain(PASSWORD);
  });

  it.each([
    ['the service', 'src/main.ts'],
    ['npm run dispatcher', 'scripts/dispatcher.ts'],
    ['npm run migrate', 'scripts/migrate.ts'],
  ])(
    'is never in the start-up error of %s',
    async (_, entry) => {
      for (const url of [
        `postgres://${USER}:${PASSWORD}@127.0.0.1:1/tasks`,
        `postgres:${USER}:${PASSWORD}@127.0.0.1:1/tasks`,
      ]) {
        const { code, stdout, stderr } = await runToExit({ DATABASE_URL: url }, entry);
        expect(code).toBe(1);
        expect(stdout + stderr).not.toContain(PASSWORD);
        expect(stdout + stderr).not.toContain(USER);
        expect(stderr.trim().split('\n')).toHaveLength(1);
      }
    },
    // Six processes start and stop here: generous, for a machine shared with other work.
    90_000,
  );
});
