import type { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { currentSession } from '../../../application/staff-sessions/current-session.ts';
import { signIn } from '../../../application/staff-sessions/sign-in.ts';
import { signOut } from '../../../application/staff-sessions/sign-out.ts';
import {
  type ConsoleContext,
  type ConsoleEnv,
  type ConsolePages,
  field,
  submit,
} from '../context.ts';
import { CsrfField, FormErrors, type FormState, Hidden, InputField, Layout } from '../views.tsx';

/** Only a path of the console itself: never another site, whatever `next` says. */
const safeNext = (next: string | undefined) =>
  next?.startsWith('/admin/') && !/\/\/|\\/.test(next) ? next : '/admin/';

function signInForm(csrf: string, next: string, state: FormState = {}) {
  return (
    <Layout title="Sign in" viewer={null}>
      <form method="post" action="/admin/login/">
        <CsrfField token={csrf} />
        <Hidden name="next" value={next} />
        <FormErrors errors={state.errors} fields={['username', 'password']} />
        <InputField
          name="username"
          label="Username"
          state={state}
          required
          autocomplete="username"
        />
        <InputField
          name="password"
          label="Password"
          type="password"
          required
          autocomplete="current-password"
        />
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </Layout>
  );
}

/** The sign-in form and its POST, before any session exists. */
export function signInPages(
  app: Hono<ConsoleEnv>,
  { deps, cookies, clientIp, anonymous }: ConsolePages,
) {
  app.get('/admin/login/', async (c) => {
    const secret = cookies.session(c);
    const next = safeNext(c.req.query('next'));
    if (secret && (await currentSession(deps, secret))) return c.redirect(next, 303);
    return c.html(signInForm(cookies.csrfOf(cookies.loginSecret(c)), next));
  });

  // The per-address throttle of `/api/token/`, before the attempt, as there.
  for (const middleware of anonymous) app.post('/admin/login/', middleware);
  app.post('/admin/login/', async (c: ConsoleContext) => {
    const loginSecret = cookies.heldLoginSecret(c);
    if (!cookies.verifies(loginSecret, c.var.form?.csrf))
      throw new HTTPException(403, {
        message: 'The form is missing its CSRF token; load the sign-in page again.',
      });
    const next = safeNext(field(c, 'next'));
    return submit(
      c,
      async () => {
        const session = await signIn(deps, {
          username: field(c, 'username'),
          password: field(c, 'password'),
          client: clientIp(c),
          signal: c.req.raw.signal,
        });
        cookies.start(c, session);
        return c.redirect(next, 303);
      },
      (state) => signInForm(cookies.csrfOf(loginSecret as string), next, state),
    );
  });
}

/** Signing out ends the session on the server, not only in this browser. */
export function signOutPage(app: Hono<ConsoleEnv>, { deps, cookies }: ConsolePages) {
  app.post('/admin/logout/', async (c) => {
    const secret = cookies.session(c);
    if (secret) await signOut(deps, secret);
    cookies.end(c);
    return c.redirect('/admin/login/', 303);
  });
}
