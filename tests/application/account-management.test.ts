import { beforeEach, describe, expect, it } from 'vitest';
import { changePassword } from '../../src/application/accounts/change-password.ts';
import { changeUserStatus } from '../../src/application/accounts/change-user-status.ts';
import { logIn } from '../../src/application/accounts/log-in.ts';
import { promoteUser } from '../../src/application/accounts/promote-user.ts';
import { refreshSession } from '../../src/application/accounts/refresh-session.ts';
import { setUserPassword } from '../../src/application/accounts/set-user-password.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import type { Actor } from '../../src/domain/user.ts';
import { type Harness, harness, PASSWORD, type SignedUp } from '../harness.ts';

let h: Harness;
let ada: SignedUp;
let staff: SignedUp;
let adaActor: Actor;
let staffActor: Actor;
beforeEach(async () => {
  h = await harness({ rates: { loginFailures: { points: 3, durationSeconds: 900 } } });
  ada = await h.signUp();
  staff = await h.signUp({ staff: true });
  adaActor = { id: ada.id, isStaff: false };
  staffActor = { id: staff.id, isStaff: true };
});

const NEW_PASSWORD = 'a brand new passphrase';
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: DomainError) => error.code,
  );
const logsIn = (username: string, password: string) =>
  codeOf(logIn(h.deps, { username, password, client: 'test' }));
const refreshes = (refresh: string) => codeOf(refreshSession(h.deps, { refresh }));

describe('changePassword', () => {
  const change = (currentPassword: string, actor = adaActor, client = 'test') =>
    changePassword(h.deps, { actor, currentPassword, newPassword: NEW_PASSWORD, client });

  it('sets the new password and revokes every refresh-token family', async () => {
    const second = await logIn(h.deps, { username: ada.username, password: PASSWORD, client: 'x' });
    await change(PASSWORD);
    expect(await refreshes(ada.refresh)).toBe('invalid_token');
    expect(await refreshes(second.refresh)).toBe('invalid_token');
    expect(await refreshes(staff.refresh)).toBe('resolved');
    expect(await logsIn(ada.username, NEW_PASSWORD)).toBe('resolved');
  });

  it("counts a wrong current password against log-in's budget for the user and client", async () => {
    expect(await codeOf(change('wrong'))).toBe('invalid');
    expect(await codeOf(change('wrong'))).toBe('invalid');
    expect(await logsIn(ada.username, 'wrong')).toBe('invalid_credentials');
    expect(await codeOf(change(PASSWORD))).toBe('throttled');
    expect(await logsIn(ada.username, PASSWORD)).toBe('throttled');
    // Another client's budget is its own.
    await expect(change(PASSWORD, adaActor, 'elsewhere')).resolves.toBeUndefined();
  });

  it('applies the password rules before spending an attempt', async () => {
    for (let i = 0; i < 5; i++)
      expect(
        await codeOf(
          changePassword(h.deps, {
            actor: adaActor,
            currentPassword: 'wrong',
            newPassword: 'short',
            client: 'test',
          }),
        ),
      ).toBe('invalid');
    expect(await logsIn(ada.username, PASSWORD)).toBe('resolved');
  });

  it('is refused to an API token and to an account deactivated meanwhile', async () => {
    const viaToken = { ...adaActor, apiToken: { id: 1, scopes: ['read', 'write'] as const } };
    expect(await codeOf(change(PASSWORD, viaToken))).toBe('insufficient_scope');
    await h.deactivate(ada.id);
    expect(await codeOf(change(PASSWORD))).toBe('invalid_token');
  });
});

describe('changeUserStatus', () => {
  const change = (
    changes: { isActive?: boolean; isStaff?: boolean },
    actor = staffActor,
    id = ada.id,
  ) => changeUserStatus(h.deps, { actor, id, changes });

  it('deactivates an account and ends its sessions; reactivation does not restore them', async () => {
    expect(await change({ isActive: false })).toMatchObject({ id: ada.id, isActive: false });
    expect(await logsIn(ada.username, PASSWORD)).toBe('invalid_credentials');
    await change({ isActive: true });
    expect(await refreshes(ada.refresh)).toBe('invalid_token');
    expect(await logsIn(ada.username, PASSWORD)).toBe('resolved');
  });

  it('grants and takes staff status, and leaves sessions alone when doing so', async () => {
    expect((await change({ isStaff: true })).isStaff).toBe(true);
    expect((await h.deps.users.byId(ada.id))?.isStaff).toBe(true);
    expect((await change({ isStaff: false })).isStaff).toBe(false);
    expect(await refreshes(ada.refresh)).toBe('resolved');
  });

  it('is for staff only, who learn of an unknown id and cannot lock themself out', async () => {
    expect(await codeOf(change({ isStaff: true }, adaActor))).toBe('permission_denied');
    expect(await codeOf(change({ isStaff: true }, adaActor, 999))).toBe('permission_denied');
    expect(await codeOf(change({}, staffActor, 999))).toBe('not_found');
    expect(await codeOf(change({ isActive: false }, staffActor, staff.id))).toBe('invalid');
    expect(await codeOf(change({ isStaff: false }, staffActor, staff.id))).toBe('invalid');
    expect((await h.deps.users.byId(staff.id))?.isStaff).toBe(true);
  });
});

describe('setUserPassword', () => {
  const set = (actor: Actor, id = ada.id, newPassword = NEW_PASSWORD) =>
    setUserPassword(h.deps, { actor, id, newPassword });

  it("sets the password and revokes the account's refresh tokens", async () => {
    await set(staffActor);
    expect(await refreshes(ada.refresh)).toBe('invalid_token');
    expect(await refreshes(staff.refresh)).toBe('resolved');
    expect(await logsIn(ada.username, NEW_PASSWORD)).toBe('resolved');
  });

  it('is for staff signed in with a password, and applies the rules', async () => {
    expect(await codeOf(set(adaActor))).toBe('permission_denied');
    const viaToken = { ...staffActor, apiToken: { id: 1, scopes: ['write'] as const } };
    expect(await codeOf(set(viaToken))).toBe('insufficient_scope');
    expect(await codeOf(set(staffActor, 999))).toBe('not_found');
    expect(await codeOf(set(staffActor, ada.id, ada.username))).toBe('invalid');
    expect(await logsIn(ada.username, PASSWORD)).toBe('resolved');
  });
});

describe('promoteUser', () => {
  it('makes an existing account staff, found in any letter case', async () => {
    const { user, wasStaff } = await promoteUser(h.deps, { username: ada.username.toUpperCase() });
    expect(wasStaff).toBe(false);
    expect(user).toMatchObject({ id: ada.id, isStaff: true });
    expect((await h.deps.users.byId(ada.id))?.isStaff).toBe(true);
    expect((await promoteUser(h.deps, { username: ada.username })).wasStaff).toBe(true);
  });

  it('finds no one for an unknown name', async () => {
    expect(await codeOf(promoteUser(h.deps, { username: 'nobody' }))).toBe('not_found');
  });
});
