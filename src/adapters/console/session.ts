import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Secrets } from '../../application/ports/secrets.ts';
import type { StaffSession } from '../../application/staff-sessions/sign-in.ts';

const SESSION_COOKIE = 'admin_session';
/** Before sign-in there is no session to tie the form's CSRF token to: this cookie stands in. */
const LOGIN_COOKIE = 'admin_login';
const LOGIN_COOKIE_SECONDS = 3600;
const PATH = '/admin';

/** The console's cookies, and the CSRF tokens derived from what they hold. */
export function consoleCookies(secrets: Secrets, options: { secure: boolean }) {
  const attributes = {
    httpOnly: true,
    sameSite: 'Strict',
    secure: options.secure,
    path: PATH,
  } as const;
  /**
   * A form's token is a digest of the cookie's secret under a label of its own: a page can show
   * it without showing the secret, and the stored digest of the session cannot give it.
   */
  const csrfOf = (secret: string) => secrets.digest(`console csrf:${secret}`);
  return {
    csrfOf,
    session: (c: Context) => getCookie(c, SESSION_COOKIE),
    start(c: Context, session: StaffSession) {
      // Max-Age rather than Expires: the browser counts it on its own clock, however it is set.
      const maxAge = Math.round((session.expiresAt.getTime() - session.createdAt.getTime()) / 1000);
      setCookie(c, SESSION_COOKIE, session.secret, { ...attributes, maxAge });
      deleteCookie(c, LOGIN_COOKIE, attributes);
    },
    end(c: Context) {
      deleteCookie(c, SESSION_COOKIE, attributes);
    },
    /** The sign-in form's secret: the one the browser holds, or a new one it is given. */
    loginSecret(c: Context): string {
      const held = getCookie(c, LOGIN_COOKIE);
      if (held) return held;
      const secret = secrets.token();
      setCookie(c, LOGIN_COOKIE, secret, { ...attributes, maxAge: LOGIN_COOKIE_SECONDS });
      return secret;
    },
    heldLoginSecret: (c: Context) => getCookie(c, LOGIN_COOKIE),
    /** Whether `token` is the CSRF token of `secret`, compared in constant time. */
    verifies(secret: string | undefined, token: unknown): boolean {
      if (!secret || typeof token !== 'string') return false;
      const expected = Buffer.from(csrfOf(secret));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export type ConsoleCookies = ReturnType<typeof consoleCookies>;
