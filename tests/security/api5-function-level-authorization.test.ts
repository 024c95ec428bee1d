// OWASP API5:2023 Broken Function Level Authorization: staff powers (every task, in lists and by
// id) belong to staff accounts as the database has them, not to whatever a token or body claims.
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_STATUS_TTL_MS } from '../../src/application/accounts/access-token-authenticator.ts';
import { User } from '../../src/domain/user.ts';
import { type Harness, harness, type Json } from '../harness.ts';
import { forge, type Parties, parties, taskPath } from './fixtures.ts';

let h: Harness;
let p: Parties;
let task: Json;

beforeEach(async () => {
  h = await harness();
  p = await parties(h);
  task = await (
    await h.request('POST', '/api/tasks/', { token: p.creator.token, json: { title: 'Private' } })
  ).json();
});

async function staffPowers(token: string) {
  const list = await (await h.request('GET', '/api/tasks/', { token })).json();
  return {
    seesEveryTask: list.length === 1,
    reads: (await h.request('GET', taskPath(task.id), { token })).status,
    writes: (
      await h.request('PATCH', taskPath(task.id), { token, json: { description: 'edited' } })
    ).status,
  };
}

const STAFF = { seesEveryTask: true, reads: 200, writes: 200 };
const NOT_STAFF = { seesEveryTask: false, reads: 404, writes: 404 };

/**
 * Makes the user repository report `userId` as no longer staff, as it would after an operator's
 * UPDATE (the harness's stores offer no way to demote).
 */
function demote(userId: number) {
  const { users } = h.deps;
  h.deps.users = {
    ...users,
    async byId(id) {
      const user = await users.byId(id);
      return user && id === userId ? new User({ ...user, isStaff: false }) : user;
    },
  };
}

describe('staff powers', () => {
  it('belong to staff', async () => {
    expect(await staffPowers(p.staff.token)).toEqual(STAFF);
    expect(await staffPowers(p.stranger.token)).toEqual(NOT_STAFF);
  });

  it('are not granted by a correctly signed token that claims staff for a plain user', async () => {
    const claimsStaff = await forge(h, p.stranger.id, { claims: { staff: true } });
    expect(await staffPowers(claimsStaff)).toEqual(NOT_STAFF);
  });

  it('are trusted from a token for no longer than the account-status TTL after a demotion', async () => {
    expect(await staffPowers(p.staff.token)).toEqual(STAFF);
    demote(p.staff.id);
    h.clock.advance(ACCOUNT_STATUS_TTL_MS);
    expect(await staffPowers(p.staff.token)).toEqual(NOT_STAFF);
  });
});
