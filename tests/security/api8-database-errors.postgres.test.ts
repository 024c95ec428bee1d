// OWASP API8:2023 Security Misconfiguration, on PostgreSQL: real database errors, whose driver
// messages quote the SQL and its values, reach neither the client nor the log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, type SignedUp } from '../harness.ts';
import { sharedTestDatabase } from '../setup/postgres-database.ts';
import { capturedLogs } from './logs.ts';

const SECRET_TITLE = 'classified-title-7f3a';
const SQL = /select|insert|update|delete from|from "?tasks"?|returning|\$1|description_moved/i;

let h: Harness;
let ada: SignedUp;
let logs: ReturnType<typeof capturedLogs>;
const undo: string[] = [];

async function sql(statement: string) {
  await (await sharedTestDatabase()).persistence.orm.em.fork().execute(statement);
}

beforeEach(async () => {
  logs = capturedLogs();
  h = await harness({ logger: logs.logger });
  ada = await h.signUp();
});

afterEach(async () => {
  for (const statement of undo.splice(0).reverse()) await sql(statement);
});

async function expectOpaque500(response: Response) {
  expect(response.status).toBe(500);
  const body = await response.text();
  expect(JSON.parse(body)).toEqual({
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The server could not complete the request.',
    code: 'server_error',
  });
  const log = logs.text();
  for (const text of [body, log]) {
    expect(text).not.toMatch(SQL);
    expect(text).not.toContain(SECRET_TITLE);
    expect(text).not.toContain(ada.token);
  }
}

describe('database errors', () => {
  it('a constraint the write violates: 500, the constraint named in the log, no SQL or values', async () => {
    await sql(`alter table tasks add constraint security_probe check (title <> '${SECRET_TITLE}')`);
    undo.push('alter table tasks drop constraint security_probe');
    const response = await h.request('POST', '/api/tasks/', {
      token: ada.token,
      json: { title: SECRET_TITLE },
    });
    await expectOpaque500(response);
    expect(logs.text()).toContain('SQLSTATE 23514, constraint security_probe');
  });

  it('a query the schema no longer fits: 500, no SQL anywhere', async () => {
    const created = await h.request('POST', '/api/tasks/', {
      token: ada.token,
      json: { title: SECRET_TITLE },
    });
    const { id } = await created.json();
    await sql('alter table tasks rename column description to description_moved');
    undo.push('alter table tasks rename column description_moved to description');
    for (const path of [`/api/tasks/${id}/`, `/api/tasks/?search=${SECRET_TITLE}`])
      await expectOpaque500(await h.request('GET', path, { token: ada.token }));
    expect(logs.text()).toContain('SQLSTATE 42703');
  });
});
