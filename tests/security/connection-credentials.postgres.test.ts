// Security review finding 5 on a real PostgreSQL: a wrong password is reported in one line that
// names the server and PostgreSQL's reason, with the user name and password taken out.
import { expect, inject, it } from 'vitest';
import { runToExit } from '../service-process.ts';

it('names the server and the reason of a refused log-in, never the credentials', async () => {
  const server = new URL(inject('postgres').adminUrl);
  server.username = 'tasks_owner_7c1e';
  server.password = 'pw-9Xq2-secret';
  for (const entry of ['src/main.ts', 'scripts/dispatcher.ts']) {
    const { code, stderr } = await runToExit({ DATABASE_URL: server.toString() }, entry);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Cannot (connect to|reach) PostgreSQL at 127\.0\.0\.1:\d+\/\w+: /);
    expect(stderr).toMatch(/authentication failed for user "\*\*\*"/);
    expect(stderr).not.toContain('pw-9Xq2-secret');
    expect(stderr).not.toContain('tasks_owner_7c1e');
  }
}, 30_000);
