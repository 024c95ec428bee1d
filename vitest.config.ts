import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Most of the suite waits on PostgreSQL, Redis and child processes rather than the CPU.
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'in-memory',
          include: ['tests/**/*.test.ts', 'lambda/**/*.test.ts'],
          exclude: [
            'tests/adapters/mikro-orm.test.ts',
            'tests/adapters/postgres-dispatcher.test.ts',
            'tests/operations/**',
            'tests/deploy/production-build.test.ts',
            'tests/faults/**',
            'tests/**/*.postgres.test.ts',
          ],
        },
      },
      {
        // The PostgreSQL adapter's contract suites, processes that need a database, and the HTTP
        // suite once more on PostgreSQL.
        extends: true,
        test: {
          name: 'postgres',
          include: [
            'tests/adapters/mikro-orm.test.ts',
            'tests/adapters/postgres-dispatcher.test.ts',
            'tests/operations/**/*.test.ts',
            'tests/deploy/production-build.test.ts',
            'tests/http/**/*.test.ts',
            // The security tests whose subject lives in the PostgreSQL adapter too: list
            // visibility in SQL, refresh-token rotation under concurrency, real database errors.
            'tests/security/api1-*.test.ts',
            'tests/security/api2-broken-authentication.test.ts',
            'tests/security/*.postgres.test.ts',
            // Findings of the security review whose subject lives in PostgreSQL too.
            'tests/security/username-identity.test.ts',
            'tests/security/login-lockout.test.ts',
            'tests/security/invalid-unicode.test.ts',
            'tests/security/deleted-user.test.ts',
            'tests/security/staff-search.test.ts',
            'tests/security/purge.test.ts',
            'tests/fuzz/**/*.test.ts',
            'tests/faults/**/*.test.ts',
          ],
          env: { TEST_PERSISTENCE: 'postgres' },
          globalSetup: ['tests/setup/postgres.ts'],
          setupFiles: ['tests/setup/postgres-harness.ts'],
        },
      },
    ],
  },
});
