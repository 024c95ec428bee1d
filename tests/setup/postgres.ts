import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { describeServer } from '../../src/adapters/connection-urls.ts';
import {
  type PostgresServer,
  startEmbeddedPostgres,
} from '../../src/adapters/persistence/embedded-postgres.ts';
import { openMikroOrmPersistence } from '../../src/adapters/persistence/mikro-orm/persistence.ts';
import { adminQuery, databaseUrl, silentLogger } from './postgres-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: {
      /** A database on the test server to run CREATE and DROP DATABASE from. */
      adminUrl: string;
      /** A migrated, empty database that each test file's database is copied from. */
      template: string;
    };
  }
}

/** The server the tests use: TEST_DATABASE_URL's, or an embedded one in a temporary directory. */
async function testServer(): Promise<PostgresServer & { cleanUp(): Promise<void> }> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => {}, cleanUp: async () => {} };
  const dataDir = await mkdtemp(join(tmpdir(), 'task-api-test-postgres-'));
  try {
    const server = await startEmbeddedPostgres({ dataDir, throwaway: true });
    return { ...server, cleanUp: () => rm(dataDir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(
      `Could not start the embedded PostgreSQL for the tests (set TEST_DATABASE_URL to use a running server instead): ${(error as Error).message}`,
    );
  }
}

/**
 * Starts PostgreSQL once per test run and migrates a template database; each test file then
 * gets a copy of its own, so files run in parallel without seeing each other's rows. A failure
 * here fails the run: the PostgreSQL tests are never skipped.
 */
export default async function setup(project: TestProject) {
  const server = await testServer();
  const template = `task_api_test_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(server.url, `create database ${template}`);
    const persistence = await openMikroOrmPersistence(databaseUrl(server.url, template), {
      logger: silentLogger,
    });
    await persistence.migrate();
    await persistence.close();
  } catch (error) {
    await server.stop();
    await server.cleanUp();
    throw new Error(
      `Could not prepare a test database on ${describeServer(server.url)}: ${(error as Error).message}`,
    );
  }
  project.provide('postgres', { adminUrl: server.url, template });

  return async () => {
    // Databases are dropped by the files that made them; what is left is the template and the
    // copies of files that failed before they could drop theirs.
    if (process.env.TEST_DATABASE_URL)
      for (const name of await adminQuery<{ datname: string }>(
        server.url,
        `select datname from pg_database where datname like '${template}%'`,
      ))
        await adminQuery(server.url, `drop database if exists ${name.datname} with (force)`);
    await server.stop();
    await server.cleanUp();
  };
}
