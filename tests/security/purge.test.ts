// Security review finding 9: nothing was ever purged: every log-in added a refresh-token row for
// good, and delivered outbox rows stayed too. Now the service purges, hourly and in one instance
// at a time (an advisory lock on PostgreSQL: tests/adapters/mikro-orm.test.ts), the refresh tokens
// expired more than RETENTION_EXPIRED_TOKENS ago and the events delivered more than
// RETENTION_DELIVERED_EVENTS ago, and counts what it removed in `purged_rows_total`.
import { describe, expect, it } from 'vitest';
import { prometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';
import { inMemoryLock } from '../../src/adapters/persistence/in-memory/cluster-lock.ts';
import { purgeExpired } from '../../src/application/maintenance/purge.ts';
import { startPurger } from '../../src/application/maintenance/purger.ts';
import { makeApiToken } from '../api-tokens.ts';
import { type Harness, harness } from '../harness.ts';

const DAY = 86_400_000;
const RETENTION = { deliveredEventsMs: 30 * DAY, expiredTokensMs: 7 * DAY };
const REFRESH_TTL = 14 * DAY;

const purgeDeps = (h: Harness) => ({
  uow: h.deps.uow,
  queue: h.queue,
  apiTokens: h.deps.apiTokens,
  clock: h.clock,
  lock: inMemoryLock(),
});

/** Completes a task of `token`'s and delivers its event, now. */
async function deliveredCompletion(h: Harness, token: string) {
  await h.request('POST', '/api/tasks/', {
    token,
    json: { title: 'done', status: 'completed' },
  });
  const [claimed] = await h.queue.claim(
    h.clock.now(),
    1,
    new Date(h.clock.now().getTime() + 60_000),
  );
  if (claimed) await h.queue.markDelivered([claimed.event.eventId], h.clock.now());
}

const refresh = (h: Harness, token: string) =>
  h.request('POST', '/api/token/refresh/', { json: { refresh: token } });

describe('the purge', () => {
  it('removes refresh tokens and delivered events past their retention, and nothing else', async () => {
    const h = await harness();
    const ada = await h.signUp();
    const old = [ada.refresh, (await h.logIn(ada.username)).refresh];
    await deliveredCompletion(h, ada.token);
    await h.request('POST', '/api/tasks/', {
      token: ada.token,
      json: { title: 'undelivered', status: 'completed' },
    });

    h.clock.advance(REFRESH_TTL + RETENTION.expiredTokensMs + DAY);
    const fresh = await h.logIn(ada.username);
    expect(await purgeExpired(purgeDeps(h), RETENTION)).toEqual({
      refresh_tokens: 2,
      api_tokens: 0,
      staff_sessions: 0,
      delivered_events: 0,
    });
    for (const token of old) expect((await refresh(h, token)).status).toBe(401);
    expect((await refresh(h, fresh.refresh)).status).toBe(200);

    h.clock.advance(RETENTION.deliveredEventsMs);
    expect(await purgeExpired(purgeDeps(h), RETENTION)).toMatchObject({ delivered_events: 1 });
    // The event never delivered stays, whatever its age.
    expect((await h.outbox()).map((entry) => [entry.event.taskTitle, entry.state])).toEqual([
      ['undelivered', 'pending'],
    ]);
  });

  it('keeps what is expired or delivered but within its retention', async () => {
    const h = await harness();
    const ada = await h.signUp();
    await deliveredCompletion(h, ada.token);
    h.clock.advance(REFRESH_TTL + RETENTION.expiredTokensMs - DAY);
    expect(await purgeExpired(purgeDeps(h), RETENTION)).toEqual({
      refresh_tokens: 0,
      api_tokens: 0,
      staff_sessions: 0,
      delivered_events: 0,
    });
    expect(await h.outbox()).toHaveLength(1);
  });

  it('removes API tokens expired or revoked before the retention, and keeps the others', async () => {
    const h = await harness();
    const ada = await h.signUp();
    const expiring = await makeApiToken(h, ada.token, { expires_at: '2026-01-02T09:00:00Z' });
    const revoked = await makeApiToken(h, ada.token);
    const lasting = await makeApiToken(h, ada.token);
    await h.request('DELETE', `/api/tokens/${revoked.id}/`, { token: ada.token });

    h.clock.advance(RETENTION.expiredTokensMs);
    expect(await purgeExpired(purgeDeps(h), RETENTION)).toMatchObject({ api_tokens: 0 });
    h.clock.advance(2 * DAY);
    expect(await purgeExpired(purgeDeps(h), RETENTION)).toMatchObject({ api_tokens: 2 });

    for (const token of [expiring, revoked])
      expect(
        await h.deps.apiTokens.byDigest(h.deps.apiTokenDigest.digest(token.secret)),
      ).toBeNull();
    expect((await h.request('GET', '/api/me/', { token: lasting.secret })).status).toBe(200);
  });

  it('removes large backlogs in batches', async () => {
    const h = await harness();
    const ada = await h.signUp();
    await h.deps.uow.run(async (tx) => {
      for (let i = 0; i < 2_500; i++)
        await tx.refreshTokens.add({
          digest: `digest-${i}`,
          familyId: `family-${i}`,
          userId: ada.id,
          issuedAt: h.clock.now(),
          expiresAt: h.clock.now(),
        });
    });
    h.clock.advance(RETENTION.expiredTokensMs + DAY);
    expect(await purgeExpired(purgeDeps(h), RETENTION)).toMatchObject({ refresh_tokens: 2_500 });
  }, 30_000);

  it('runs in the service by itself, and counts what it removed for Prometheus', async () => {
    const h = await harness();
    const ada = await h.signUp();
    h.clock.advance(REFRESH_TTL + RETENTION.expiredTokensMs + DAY);
    const metrics = prometheusMetrics();
    const quiet = { info() {}, error() {} };
    const purger = startPurger(
      { ...purgeDeps(h), log: quiet, metrics: metrics.purge },
      RETENTION,
      60_000,
    );
    for (let i = 0; i < 1000 && !(await metrics.registry.metrics()).includes('kind="refresh'); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await purger.stop();
    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('purged_rows_total{kind="refresh_tokens"} 1');
    expect((await refresh(h, ada.refresh)).status).toBe(401);
  }, 30_000);
});
