import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { logIn } from '../../../application/accounts/log-in.ts';
import { refreshSession } from '../../../application/accounts/refresh-session.ts';
import { register } from '../../../application/accounts/register.ts';
import { revokeSession } from '../../../application/accounts/revoke-session.ts';
import { searchUsers } from '../../../application/accounts/search-users.ts';
import { whoAmI } from '../../../application/accounts/who-am-i.ts';
import { formBodies } from '../bodies.ts';
import type { AppEnv } from '../env.ts';
import { featureApp, type RouteDeps } from '../feature-app.ts';
import { LIMIT_DEFAULT } from '../fields.ts';
import {
  bearerSecurity,
  jsonBody,
  jsonOrFormBody,
  jsonResponse,
  problemResponses,
} from '../openapi.ts';
import {
  CredentialsBody,
  MeSchema,
  meResource,
  RefreshBody,
  RegisterBody,
  RegisteredUserSchema,
  registeredUser,
  TokenPairSchema,
  tokenPair,
  UserSearchQuery,
  UserSummarySchema,
  userSummary,
} from './schemas.ts';

/** Token responses must never sit in a cache (RFC 6749 §5.1). */
const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
};

const USERS_CURSOR = 'users';

/** Registration, log-in and the token endpoints, the caller, and the user search. */
export function accountRoutes({ deps, paging, clientIp, authenticated, anonymous }: RouteDeps) {
  const app = featureApp();
  // First, so that a throttled attempt's 429 is not cached either.
  const tokenRoutes = [noStore, ...anonymous];
  const common = { tags: ['accounts'] };
  // Password hashes wait their turn by client address, and are dropped when the client leaves.
  const hashRequest = (c: Context) => ({ client: clientIp(c), signal: c.req.raw.signal });

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/register/',
      summary: 'Create an account',
      middleware: [...anonymous, formBodies],
      request: { body: jsonOrFormBody(RegisterBody, 'Registration') },
      responses: {
        201: jsonResponse(RegisteredUserSchema, 'The new account.'),
        ...problemResponses(400, 413, 415, 429),
      },
    }),
    async (c) =>
      c.json(
        registeredUser(await register(deps, { ...c.req.valid('json'), request: hashRequest(c) })),
        201,
      ),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/token/',
      summary: 'Log in: trade a username and password for tokens',
      middleware: [...tokenRoutes, formBodies],
      request: { body: jsonOrFormBody(CredentialsBody, 'Credentials') },
      responses: {
        200: jsonResponse(TokenPairSchema, 'An access token and a refresh token.'),
        ...problemResponses(400, 413, 415, 429),
      },
    }),
    async (c) =>
      c.json(tokenPair(await logIn(deps, { ...c.req.valid('json'), ...hashRequest(c) })), 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/token/refresh/',
      summary: 'Trade a refresh token for a new pair (the old one stops working)',
      middleware: tokenRoutes,
      request: { body: jsonBody(RefreshBody) },
      responses: {
        200: jsonResponse(TokenPairSchema, 'A new access token and refresh token.'),
        ...problemResponses(400, 401, 413, 415, 429),
      },
    }),
    async (c) => c.json(tokenPair(await refreshSession(deps, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/token/revoke/',
      summary: "Log out: the refresh token's whole family stops working",
      middleware: tokenRoutes,
      request: { body: jsonBody(RefreshBody) },
      responses: { 204: { description: 'Revoked.' }, ...problemResponses(400, 413, 415, 429) },
    }),
    async (c) => {
      await revokeSession(deps, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/me/',
      summary: 'The signed-in user',
      middleware: authenticated,
      security: bearerSecurity,
      responses: { 200: jsonResponse(MeSchema, 'The caller.'), ...problemResponses(401, 429) },
    }),
    async (c) => c.json(meResource(await whoAmI(deps, c.get('actor'))), 200),
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/users/',
      summary: 'Find active users to assign tasks to',
      middleware: authenticated,
      security: bearerSecurity,
      request: { query: UserSearchQuery },
      responses: {
        200: jsonResponse(z.array(UserSummarySchema), 'One page, by id; `Link` names the next.'),
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await searchUsers(deps, {
        search: query.search || undefined,
        afterId: paging.after<number>(USERS_CURSOR, query.cursor),
        limit: query.limit ?? LIMIT_DEFAULT,
      });
      return c.json(paging.items(c, USERS_CURSOR, page, userSummary), 200);
    },
  );

  return app;
}
