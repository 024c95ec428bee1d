import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '../../src/adapters/persistence/mikro-orm/migrations/index.ts';
import { openMikroOrmPersistence } from '../../src/adapters/persistence/mikro-orm/persistence.ts';
import type { TaskQuery } from '../../src/application/ports/tasks.ts';
import { apiTokensContract } from '../contracts/api-tokens.contract.ts';
import { outboxQueueContract } from '../contracts/outbox-queue.contract.ts';
import type { Persistence } from '../contracts/persistence.ts';
import { refreshTokensContract } from '../contracts/refresh-tokens.contract.ts';
import { tasksContract } from '../contracts/tasks.contract.ts';
import { unitOfWorkContract } from '../contracts/unit-of-work.contract.ts';
import { userDraft, usersContract } from '../contracts/users.contract.ts';
import { adminQuery, databaseUrl, silentLogger } from '../setup/postgres-admin.ts';
import { postgresPersistence } from '../setup/postgres-database.ts';

const postgres = postgresPersistence();

usersContract('MikroORM on PostgreSQL', postgres);
tasksContract('MikroORM on PostgreSQL', postgres);
refreshTokensContract('MikroORM on PostgreSQL', postgres);
apiTokensContract('MikroORM on PostgreSQL', postgres);
unitOfWorkContract('MikroORM on PostgreSQL', postgres);
outboxQueueContract('MikroORM on PostgreSQL', postgres);

describe('MikroORM on PostgreSQL, beyond the ports', () => {
  let persistence: Persistence;
  beforeEach(async () => {
    persistence = await postgres();
  });
  afterEach(() => persistence.close());

  it('finds nothing for a NUL character, which PostgreSQL cannot even be asked about', async () => {
    const ada = await persistence.users.add(userDraft('ada'));
    const query = { viewer: ada.actor, ordering: { field: 'id', descending: false }, limit: 10 };
    expect(await persistence.tasks.list({ ...query, search: '\u0000' } as TaskQuery)).toEqual([]);
    expect(await persistence.users.byUsername('ada\u0000')).toBeNull();
    expect(await persistence.users.search({ search: '\u0000', limit: 10 })).toEqual([]);
  });
});

describe('migrations', () => {
  const opened: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
  });

  it('lets instances that start together take turns: one applies, the others find nothing', async () => {
    const { adminUrl, template } = inject('postgres');
    const name = `${template}_empty_${process.pid}`;
    await adminQuery(adminUrl, `create database ${name}`);
    opened.push({ close: () => adminQuery(adminUrl, `drop database ${name} with (force)`) });
    const instances = await Promise.all(
      [1, 2, 3].map(() =>
        openMikroOrmPersistence(databaseUrl(adminUrl, name), { logger: silentLogger }),
      ),
    );
    opened.unshift(...instances);

    const applied = await Promise.all(instances.map((instance) => instance.migrate()));

    expect(applied.flat()).toEqual(MIGRATIONS.map((migration) => migration.name));
    expect(await instances[0]?.migrate()).toEqual([]);
  });
});
