import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS } from '../../src/adapters/persistence/mikro-orm/migrations/index.ts';
import { openMikroOrmPersistence } from '../../src/adapters/persistence/mikro-orm/persistence.ts';
import type { TaskQuery } from '../../src/application/ports/tasks.ts';
import { apiTokensContract } from '../contracts/api-tokens.contract.ts';
import { commentsContract } from '../contracts/comments.contract.ts';
import { historyContract } from '../contracts/history.contract.ts';
import { outboxQueueContract } from '../contracts/outbox-queue.contract.ts';
import type { Persistence } from '../contracts/persistence.ts';
import { projectsContract } from '../contracts/projects.contract.ts';
import { refreshTokensContract } from '../contracts/refresh-tokens.contract.ts';
import { staffSessionsContract } from '../contracts/staff-sessions.contract.ts';
import { entryBy, taskDraft, tasksContract } from '../contracts/tasks.contract.ts';
import { unitOfWorkContract } from '../contracts/unit-of-work.contract.ts';
import { userDraft, usersContract } from '../contracts/users.contract.ts';
import { adminQuery, databaseUrl, silentLogger } from '../setup/postgres-admin.ts';
import { postgresPersistence, sharedTestDatabase } from '../setup/postgres-database.ts';

const postgres = postgresPersistence();

usersContract('MikroORM on PostgreSQL', postgres);
tasksContract('MikroORM on PostgreSQL', postgres);
projectsContract('MikroORM on PostgreSQL', postgres);
commentsContract('MikroORM on PostgreSQL', postgres);
historyContract('MikroORM on PostgreSQL', postgres);
refreshTokensContract('MikroORM on PostgreSQL', postgres);
apiTokensContract('MikroORM on PostgreSQL', postgres);
unitOfWorkContract('MikroORM on PostgreSQL', postgres);
outboxQueueContract('MikroORM on PostgreSQL', postgres);
staffSessionsContract('MikroORM on PostgreSQL', postgres);

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

describe('the advisory lock', () => {
  it('runs work of one name in one process at a time, across instances of one database', async () => {
    const url = (await sharedTestDatabase()).url;
    const other = await openMikroOrmPersistence(url, { logger: silentLogger });
    const here = (await sharedTestDatabase()).persistence.lock;
    try {
      let release = () => {};
      const holding = here.runAlone(
        'purge',
        () => new Promise<string>((resolve) => (release = () => resolve('first'))),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await other.lock.runAlone('purge', async () => 'second')).toBeNull();
      expect(await other.lock.runAlone('another', async () => 'another')).toBe('another');
      release();
      expect(await holding).toBe('first');
      expect(await other.lock.runAlone('purge', async () => 'second')).toBe('second');
    } finally {
      await other.close();
    }
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

  it('moves usernames to their identity key, renaming the later of two names that now collide', async () => {
    const { adminUrl, template } = inject('postgres');
    const name = `${template}_usernames_${process.pid}`;
    await adminQuery(adminUrl, `create database ${name}`);
    opened.push({ close: () => adminQuery(adminUrl, `drop database ${name} with (force)`) });
    const persistence = await openMikroOrmPersistence(databaseUrl(adminUrl, name), {
      logger: silentLogger,
    });
    opened.unshift(persistence);
    await persistence.orm.migrator.up({ to: 'Migration20260101000000_initial_schema' });
    const em = persistence.orm.em.fork();
    // Names lower() told apart, as the unique index of the first migration did.
    const names = ['Straße', 'STRASSE', 'STRASSE.2', 'οσ', 'ος', 'ß'.repeat(75), 'S'.repeat(150)];
    for (const username of [...names, 'ada'])
      await em.execute(
        "insert into users (username, password_hash, date_joined) values (?, '-', now())",
        [username],
      );

    await persistence.migrate();

    const rows = await em.execute('select id, username, username_key from users order by id');
    expect(rows).toEqual([
      { id: 1, username: 'Straße', username_key: 'strasse' },
      // Its first new name is the next account's own, which keeps it.
      { id: 2, username: 'STRASSE.2.2', username_key: 'strasse.2.2' },
      { id: 3, username: 'STRASSE.2', username_key: 'strasse.2' },
      { id: 4, username: 'οσ', username_key: 'οσ' },
      { id: 5, username: 'ος.5', username_key: 'οσ.5' },
      { id: 6, username: 'ß'.repeat(75), username_key: 's'.repeat(150) },
      { id: 7, username: `${'S'.repeat(148)}.7`, username_key: `${'s'.repeat(148)}.7` },
      { id: 8, username: 'ada', username_key: 'ada' },
    ]);
    expect((await persistence.users.byUsername('STRASSE'))?.id).toBe(1);
    expect((await persistence.users.byUsername('ος.5'))?.id).toBe(5);
    await expect(persistence.users.add(userDraft('ΟΣ'))).rejects.toMatchObject({
      fields: { username: ['A user with that username already exists.'] },
    });
  });
});

describe('instants', () => {
  it("read back exactly on a server whose own zone is not UTC, to the ends of the due dates' range", async () => {
    const { adminUrl, template } = inject('postgres');
    const name = `${template}_zone_${process.pid}`;
    await adminQuery(adminUrl, `create database ${name}`);
    // Amsterdam's offset in the year 1 is +00:19:32, which no ISO 8601 parser reads.
    await adminQuery(adminUrl, `alter database ${name} set timezone to 'Europe/Amsterdam'`);
    const persistence = await openMikroOrmPersistence(databaseUrl(adminUrl, name), {
      logger: silentLogger,
    });
    try {
      await persistence.migrate();
      const ada = await persistence.users.add(userDraft('ada'));
      const times = ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'];
      const [first, last] = times.map((time) => new Date(time)) as [Date, Date];
      const task = await persistence.tasks.add(
        taskDraft(ada.id, { dueAt: first, createdAt: last, updatedAt: first, completedAt: last }),
        entryBy(ada.id, 'created'),
      );

      const read = await persistence.tasks.byId(task.id);
      const [listed] = await persistence.tasks.list({
        viewer: ada.actor,
        ordering: { field: 'due_at', descending: false },
        limit: 10,
      });
      for (const each of [read, listed])
        expect([each?.dueAt, each?.createdAt, each?.updatedAt, each?.completedAt]).toEqual([
          first,
          last,
          first,
          last,
        ]);
    } finally {
      await persistence.close();
      await adminQuery(adminUrl, `drop database ${name} with (force)`);
    }
  });
});
