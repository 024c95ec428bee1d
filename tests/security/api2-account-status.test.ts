// OWASP API2:2023: how the service keeps deactivation prompt without a database read per request.
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_STATUS_TTL_MS,
  accessTokenAuthenticator,
} from '../../src/application/accounts/access-token-authenticator.ts';
import type { TokenService } from '../../src/application/ports/token-service.ts';
import { Unavailable } from '../../src/application/ports/unavailable.ts';
import type { UserRepository } from '../../src/application/ports/users.ts';
import { User } from '../../src/domain/user.ts';
import { ManualClock } from '../harness.ts';

/** Tokens that are just the user id, so that only the account status is under test. */
const tokens: TokenService = {
  issue: async () => ({ token: '', expiresIn: 0 }),
  verify: async (token) => ({ id: Number(token), isStaff: false }),
};

function accounts() {
  const active = new Map<number, boolean>([
    [1, true],
    [2, true],
  ]);
  const reads: number[] = [];
  let failing = false;
  const users = {
    async byId(id: number) {
      reads.push(id);
      if (failing) throw new Unavailable('database_unavailable', 'down');
      const isActive = active.get(id);
      return isActive === undefined
        ? null
        : new User({
            id,
            username: `user${id}`,
            email: '',
            passwordHash: '',
            isStaff: id === 2,
            isActive,
            dateJoined: new Date(0),
          });
    },
  } as UserRepository;
  return {
    users,
    reads,
    deactivate: (id: number) => active.set(id, false),
    fail: (value: boolean) => {
      failing = value;
    },
  };
}

describe('the account status behind every access token', () => {
  it('is read once per user per TTL, however many requests come', async () => {
    const clock = new ManualClock();
    const store = accounts();
    const authenticate = accessTokenAuthenticator({ tokens, users: store.users, clock });
    for (let i = 0; i < 100; i++) await authenticate('1');
    expect(await authenticate('2')).toEqual({ id: 2, isStaff: true });
    expect(store.reads).toEqual([1, 2]);
    clock.advance(ACCOUNT_STATUS_TTL_MS - 1);
    await authenticate('1');
    expect(store.reads).toEqual([1, 2]);
    clock.advance(1);
    await authenticate('1');
    expect(store.reads).toEqual([1, 2, 1]);
  });

  it('is read once for a burst of first requests', async () => {
    const store = accounts();
    const authenticate = accessTokenAuthenticator({
      tokens,
      users: store.users,
      clock: new ManualClock(),
    });
    await Promise.all(Array.from({ length: 20 }, () => authenticate('1')));
    expect(store.reads).toEqual([1]);
  });

  it('refuses a deactivated user once the TTL has passed', async () => {
    const clock = new ManualClock();
    const store = accounts();
    const authenticate = accessTokenAuthenticator({ tokens, users: store.users, clock });
    await authenticate('1');
    store.deactivate(1);
    clock.advance(ACCOUNT_STATUS_TTL_MS);
    await expect(authenticate('1')).rejects.toMatchObject({
      kind: 'unauthenticated',
      code: 'invalid_token',
    });
  });

  it('is not remembered when the read fails: the next request reads again', async () => {
    const store = accounts();
    const authenticate = accessTokenAuthenticator({
      tokens,
      users: store.users,
      clock: new ManualClock(),
    });
    store.fail(true);
    await expect(authenticate('1')).rejects.toBeInstanceOf(Unavailable);
    store.fail(false);
    expect(await authenticate('1')).toEqual({ id: 1, isStaff: false });
    expect(store.reads).toEqual([1, 1]);
  });
});
