import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { register } from '../../../application/register.ts';
import { searchUsers } from '../../../application/search-users.ts';
import { logIn, refreshSession, revokeSession, whoAmI } from '../../../application/sessions.ts';
import type { AppEnv } from '../env.ts';
import { bearerSecurity, jsonBody, jsonResponse, nextLink, problemResponses } from '../openapi.ts';
import { meResource, registeredUser, tokenPair, userSummary } from '../representations.ts';
import {
  CredentialsBody,
  LIMIT_DEFAULT,
  MeSchema,
  RefreshBody,
  RegisterBody,
  RegisteredUser,
  TokenPairSchema,
  UserSearchQuery,
  UserSummarySchema,
} from '../schemas.ts';
import type { RouteDeps } from './deps.ts';

/** Token responses must never sit in a cache (RFC 6749 §5.1). */
const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
};

const USERS_CURSOR = 'users';

export function registerAccountRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  const { ports, cursors } = deps;
  // First, so that a throttled attempt's 429 is not cached either.
  const tokenRoutes = [noStore, ...deps.anonymous];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/register/',
      tags: ['accounts'],
      summary: 'Create an account',
      middleware: deps.anonymous,
      request: { body: jsonBody(RegisterBody) },
      responses: {
        201: jsonResponse(RegisteredUser, 'The new account.'),
        ...problemResponses(400, 413, 415, 429),
      },
    }),
    async (c) => c.json(registeredUser(await register(ports, c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/token/',
      tags: ['accounts'],
      summary: 'Log in: trade a username and password for tokens',
      middleware: tokenRoutes,
      request: { body: jsonBody(CredentialsBody) },
      responses: {
        200: jsonResponse(TokenPairSchema, 'An access token and a refresh token.'),
        ...problemResponses(400, 413, 415, 429),
      },
    }),
    async (c) =>
      c.json(
        tokenPair(await logIn(ports, { ...c.req.valid('json'), client: deps.clientIp(c) })),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/token/refresh/',
      tags: ['accounts'],
      summary: 'Trade a refresh token for a new pair (the old one stops working)',
      middleware: tokenRoutes,
      request: { body: jsonBody(RefreshBody) },
      responses: {
        200: jsonResponse(TokenPairSchema, 'A new access token and refresh token.'),
        ...problemResponses(400, 401, 413, 415, 429),
      },
    }),
    async (c) => c.json(tokenPair(await refreshSession(ports, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/token/revoke/',
      tags: ['accounts'],
      summary: "Log out: the refresh token's whole family stops working",
      middleware: tokenRoutes,
      request: { body: jsonBody(RefreshBody) },
      responses: { 204: { description: 'Revoked.' }, ...problemResponses(400, 413, 415, 429) },
    }),
    async (c) => {
      await revokeSession(ports, c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/me/',
      tags: ['accounts'],
      summary: 'The signed-in user',
      middleware: deps.authenticated,
      security: bearerSecurity,
      responses: { 200: jsonResponse(MeSchema, 'The caller.'), ...problemResponses(401, 429) },
    }),
    async (c) => c.json(meResource(await whoAmI(ports, c.get('actor'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users/',
      tags: ['accounts'],
      summary: 'Find active users to assign tasks to',
      middleware: deps.authenticated,
      security: bearerSecurity,
      request: { query: UserSearchQuery },
      responses: {
        200: jsonResponse(z.array(UserSummarySchema), 'One page, by id; `Link` names the next.'),
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await searchUsers(ports, {
        search: query.search || undefined,
        afterId: query.cursor ? Number(cursors.decode(USERS_CURSOR, query.cursor)) : undefined,
        limit: query.limit ?? LIMIT_DEFAULT,
      });
      if (page.next !== null)
        c.header('Link', nextLink(c.req.url, cursors.encode(USERS_CURSOR, page.next)));
      return c.json(page.items.map(userSummary), 200);
    },
  );
}
