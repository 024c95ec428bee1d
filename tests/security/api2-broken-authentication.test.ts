// OWASP API2:2023 Broken Authentication: tokens the service did not issue, or no longer honours,
// get nothing; refresh tokens work once; a deactivated account stops working.
import { UnsecuredJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/adapters/jose-token-service.ts';
import { ACCOUNT_STATUS_TTL_MS } from '../../src/application/accounts/access-token-authenticator.ts';
import {
  ACCESS_TTL_SECONDS,
  type Harness,
  harness,
  PASSWORD,
  type SignedUp,
  type TestResponse,
} from '../harness.ts';
import { flipSignatureBit, forge, resign } from './fixtures.ts';

let h: Harness;
let ada: SignedUp;

beforeEach(async () => {
  h = await harness();
  ada = await h.signUp();
});

const me = (token: string) => h.request('GET', '/api/me/', { token });
// Unlike /api/me/, the task list reads no user of its own: only authentication can refuse.
const tasks = (token: string) => h.request('GET', '/api/tasks/', { token });

async function expectInvalidToken(token: string, label: string, call = me) {
  const response = await call(token);
  expect(response.status, label).toBe(401);
  expect(response.headers.get('WWW-Authenticate'), label).toBe('Bearer error="invalid_token"');
  expect(response.headers.get('Content-Type'), label).toBe('application/problem+json');
  const body = await response.json();
  expect(body.code, label).toBe('invalid_token');
  // Nothing about the token, the key or the library leaks into the answer.
  expect(JSON.stringify(body), label).not.toMatch(/secret|HS256|jose|JWS|signature|stack/i);
}

describe('access tokens the service did not issue', () => {
  it('accepts a token forged exactly as the service signs, which proves the forgeries differ only as named', async () => {
    expect((await me(await forge(h, ada.id))).status).toBe(200);
  });

  it('refuses an unsigned token (alg: none), however its claims read', async () => {
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const unsigned = new UnsecuredJWT({ staff: true })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(String(ada.id))
      .setIssuedAt(now)
      .setExpirationTime(now + 900)
      .encode();
    expect(unsigned.split('.')[2]).toBe('');
    await expectInvalidToken(unsigned, 'alg none');
    // The same header and claims with the real signature glued on still say alg: none.
    const real = ada.token.split('.')[2];
    await expectInvalidToken(`${unsigned}${real}`, 'alg none with a signature');
  });

  it('refuses a token whose signature has one bit flipped', async () => {
    await expectInvalidToken(flipSignatureBit(ada.token), 'flipped bit');
  });

  it('refuses a token signed with another secret', async () => {
    const other = await forge(h, ada.id, { secret: 'another-secret-that-is-at-least-32-bytes' });
    await expectInvalidToken(other, 'other secret');
  });

  it('refuses the right secret under another algorithm than the pinned HS256', async () => {
    for (const alg of ['HS384', 'HS512'])
      await expectInvalidToken(await forge(h, ada.id, { alg }), alg);
  });

  it('refuses an expired token, and one not yet valid', async () => {
    await expectInvalidToken(await forge(h, ada.id, { expiresIn: -1 }), 'expired');
    const response = await me(await forge(h, ada.id, { expiresIn: -1 }));
    expect((await response.json()).detail).toBe('Token has expired.');
    const future = await forge(h, ada.id, { claims: { nbf: h.clock.now().getTime() / 1000 + 60 } });
    await expectInvalidToken(future, 'nbf in the future');
  });

  it('refuses the real token once its lifetime has passed on the service clock', async () => {
    h.clock.advance(ACCESS_TTL_SECONDS * 1000 - 1000);
    expect((await me(ada.token)).status).toBe(200);
    h.clock.advance(2000);
    await expectInvalidToken(ada.token, 'lifetime over');
  });

  it.each([
    ['another issuer', { iss: 'someone-else' }],
    ['another audience', { aud: 'another-api' }],
    ['an audience list without this service', { aud: ['another-api'] }],
    ['no issuer', { iss: undefined }],
    ['no audience', { aud: undefined }],
    ['no subject', { sub: undefined }],
    ['no expiry', { exp: undefined }],
    ['no issued-at', { iat: undefined }],
    ['a subject that is no user id', { sub: 'ada' }],
    ['subject 0', { sub: '0' }],
    ['a negative subject', { sub: '-1' }],
    ['a fractional subject', { sub: '1.5' }],
    ['a staff claim that is not a boolean', { staff: 'true' }],
    ['no staff claim', { staff: undefined }],
  ])('refuses a correctly signed token with %s', async (label, claims) => {
    await expectInvalidToken(await forge(h, ada.id, { claims }), label);
  });

  it('refuses a token with a critical header extension it does not understand', async () => {
    expect((await me(resign(ada.token, {}))).status).toBe(200);
    await expectInvalidToken(resign(ada.token, { crit: ['exp-v2'], 'exp-v2': 1 }), 'crit');
  });

  it('refuses a correctly signed token for a user that does not exist', async () => {
    await expectInvalidToken(await forge(h, 424_242), 'no such user', tasks);
  });

  it('refuses a refresh token presented as an access token', async () => {
    await expectInvalidToken(ada.refresh, 'refresh as access');
  });

  it('asks for credentials when the scheme is not Bearer or Token', async () => {
    for (const authorization of [
      `Basic ${ada.token}`,
      `JWT ${ada.token}`,
      ada.token,
      `Bearer${ada.token}`,
    ]) {
      const response = await h.request('GET', '/api/me/', {
        headers: { Authorization: authorization },
      });
      expect(response.status, authorization.slice(0, 12)).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"');
    }
  });
});

describe('refresh tokens', () => {
  const refresh = (token: string) =>
    h.request('POST', '/api/token/refresh/', { json: { refresh: token } });

  it('work once: replaying an old one revokes every token of its family, the newest included', async () => {
    const second = await (await refresh(ada.refresh)).json();
    const third = await (await refresh(second.refresh)).json();
    expect((await refresh(ada.refresh)).status).toBe(401);
    expect((await refresh(third.refresh)).status).toBe(401);
    expect((await refresh(second.refresh)).status).toBe(401);
  });

  it('revoke only the family replayed: another login of the same user keeps working', async () => {
    const laptop = await h.logIn(ada.username);
    await refresh(ada.refresh);
    expect((await refresh(ada.refresh)).status).toBe(401);
    expect((await refresh(laptop.refresh)).status).toBe(200);
  });

  it('let exactly one of two simultaneous uses through, and the reuse ends the family', async () => {
    const answers = await Promise.all([refresh(ada.refresh), refresh(ada.refresh)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const winner = answers.find((answer) => answer.status === 200) as TestResponse;
    const { refresh: next } = await winner.json();
    expect((await refresh(next)).status).toBe(401);
  });

  it('stop working when their family is revoked by logging out', async () => {
    const next = await (await refresh(ada.refresh)).json();
    expect(
      (await h.request('POST', '/api/token/revoke/', { json: { refresh: next.refresh } })).status,
    ).toBe(204);
    expect((await refresh(next.refresh)).status).toBe(401);
    // Revoking is idempotent and says nothing about whether a token existed.
    for (const token of [next.refresh, 'never-issued'])
      expect(
        (await h.request('POST', '/api/token/revoke/', { json: { refresh: token } })).status,
      ).toBe(204);
  });

  it('expire after their lifetime', async () => {
    h.clock.advance(14 * 24 * 3600 * 1000);
    expect((await refresh(ada.refresh)).status).toBe(401);
  });

  it('are refused when an access token is presented instead', async () => {
    expect((await refresh(ada.token)).status).toBe(401);
  });
});

describe('a deactivated account', () => {
  it('cannot log in, and gets the answer a wrong password gets', async () => {
    await h.deactivate(ada.id);
    const response = await h.request('POST', '/api/token/', {
      json: { username: ada.username, password: PASSWORD },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('invalid_credentials');
  });

  it('cannot refresh, from the moment it is deactivated', async () => {
    await h.deactivate(ada.id);
    const response = await h.request('POST', '/api/token/refresh/', {
      json: { refresh: ada.refresh },
    });
    expect(response.status).toBe(401);
  });

  it('loses its access tokens within the account-status TTL, not at their expiry', async () => {
    expect((await tasks(ada.token)).status).toBe(200);
    await h.deactivate(ada.id);
    h.clock.advance(ACCOUNT_STATUS_TTL_MS);
    await expectInvalidToken(ada.token, 'deactivated', tasks);
    expect((await (await tasks(ada.token)).json()).detail).toBe('User not found or inactive.');
    for (const [method, path] of [
      ['GET', '/api/tasks/'],
      ['POST', '/api/tasks/'],
      ['GET', '/api/users/'],
    ] as const)
      expect(
        (
          await h.request(method, path, {
            token: ada.token,
            ...(method === 'POST' && { json: { title: 'x' } }),
          })
        ).status,
      ).toBe(401);
  });

  it('is refused at once by a process that had not seen the user within the TTL', async () => {
    await h.deactivate(ada.id);
    await expectInvalidToken(ada.token, 'not remembered', tasks);
  });
});
