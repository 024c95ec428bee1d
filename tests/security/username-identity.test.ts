// Security review finding 1: the log-in lockout was keyed by NFKC + toLowerCase while look-up and
// the unique index used PostgreSQL's lower(), so `vİctim` (lower: victim; toLowerCase: vi̇ctim)
// logged in as victim on a fresh failure budget, and `xꟌ`/`xꟍ` registered as two accounts. Now
// one key, NFKC → full case folding → NFKC, serves look-up, uniqueness and the lockout alike.
import { describe, expect, it } from 'vitest';
import { harness, PASSWORD } from '../harness.ts';

const LOCKOUT = { loginFailures: { points: 5, durationSeconds: 900 } };

describe('one identity per username', () => {
  it('gives a locked-out name no fresh budget under another spelling', async () => {
    const h = await harness({ rates: LOCKOUT });
    await h.signUp({ username: 'victim' });
    const logIn = (username: string, password: string) =>
      h.request('POST', '/api/token/', { ip: '203.0.113.9', json: { username, password } });
    for (let i = 0; i < 5; i++) expect((await logIn('victim', `guess ${i}`)).status).toBe(400);

    // The attack: a spelling lower() took for victim's while the lockout counted it apart.
    const bypass = await logIn('vİctim', PASSWORD);
    expect(bypass.status).not.toBe(200);
    // Every spelling that is victim's name is victim's locked pair.
    for (const spelling of ['victim', 'VICTIM', 'ｖｉｃｔｉｍ', 'Victim'])
      expect((await logIn(spelling, PASSWORD)).status, spelling).toBe(429);
  });

  it.each([
    ['xꟌ', 'xꟍ'],
    ['xᲉ', 'xᲊ'],
    ['Ǆ', 'ǅ'],
    ['ǅ', 'ǆ'],
    ['ada', 'ＡＤＡ'],
    ['Straße', 'STRASSE'],
    ['vİctim', 'VİCTIM'],
  ])('refuses %s and %s as two accounts', async (first, second) => {
    const h = await harness();
    const register = (username: string) =>
      h.request('POST', '/register/', { json: { username, password: PASSWORD } });
    expect((await register(first)).status).toBe(201);
    const taken = await register(second);
    expect(taken.status).toBe(400);
    expect((await taken.json()).errors.username).toEqual([
      'A user with that username already exists.',
    ]);
    // And the second spelling logs in to the first account.
    const token = await h.request('POST', '/api/token/', {
      json: { username: second, password: PASSWORD },
    });
    expect(token.status).toBe(200);
  });
});
