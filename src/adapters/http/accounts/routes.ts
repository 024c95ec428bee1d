import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { changePassword } from '../../../application/accounts/change-password.ts';
import { changeUserStatus } from '../../../application/accounts/change-user-status.ts';
import { logIn } from '../../../application/accounts/log-in.ts';
import { refreshSession } from '../../../application/accounts/refresh-session.ts';
import { register } from '../../../application/accounts/register.ts';
import { revokeSession } from '../../../application/accounts/revoke-session.ts';
import { searchUsers } from '../../../application/accounts/search-users.ts';
import { setUserPassword } from '../../../application/accounts/set-user-password.ts';
import { whoAmI } from '../../../application/accounts/who-am-i.ts';
import { formBodies } from '../bodies.ts';
import { featureApp, type RouteDeps } from '../feature-app.ts';
import { pathId } from '../fields.ts';
import { noStore } from '../no-store.ts';
import {
  bearerSecurity,
  jsonBody,
  jsonOrFormBody,
  jsonResponse,
  problemResponses,
  sessionSecurity,
} from '../openapi.ts';
import {
  ChangePasswordBody,
  CredentialsBody,
  ManagedUserSchema,
  MeSchema,
  managedUser,
  meResource,
  RefreshBody,
  RegisterBody,
  RegisteredUserSchema,
  registeredUser,
  SetPasswordBody,
  TokenPairSchema,
  tokenPair,
  UserIdParams,
  UserSearchQuery,
  UserStatusBody,
  UserSummarySchema,
  userSummary,
} from './schemas.ts';

const USERS_CURSOR = 'users';

/**
 * Registration, log-in and the token endpoints, the caller and their password, the user search,
 * and staff's management of accounts.
 */
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
        ...paging.byId(USERS_CURSOR, query),
      });
      return c.json(paging.items(c, USERS_CURSOR, page, userSummary), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/me/password/',
      summary: 'Change your password; every session of yours has to log in again',
      description:
        'The current password is checked as log-in checks it, with the same lockout. A session ' +
        'only: an API token gets 403 `insufficient_scope`.',
      middleware: authenticated,
      security: sessionSecurity,
      request: { body: jsonBody(ChangePasswordBody) },
      responses: {
        204: { description: 'Changed; every refresh token of yours is revoked.' },
        ...problemResponses(400, 401, 403, 413, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      await changePassword(deps, {
        actor: c.get('actor'),
        currentPassword: body.current_password,
        newPassword: body.new_password,
        ...hashRequest(c),
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'patch',
      path: '/api/users/{id}/',
      summary: 'Staff: activate or deactivate an account, grant or take staff status',
      description: 'Nobody can deactivate or demote themself (400).',
      middleware: authenticated,
      security: bearerSecurity,
      request: { params: UserIdParams, body: jsonBody(UserStatusBody) },
      responses: {
        200: jsonResponse(ManagedUserSchema, 'The account as it now stands.'),
        ...problemResponses(400, 401, 403, 404, 413, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = await changeUserStatus(deps, {
        actor: c.get('actor'),
        id: pathId(c, 'id', 'User'),
        changes: { isActive: body.is_active, isStaff: body.is_staff },
      });
      return c.json(managedUser(user), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/users/{id}/password/',
      summary: "Staff: set an account's password; its sessions have to log in again",
      description: 'A session only: an API token gets 403 `insufficient_scope`.',
      middleware: authenticated,
      security: sessionSecurity,
      request: { params: UserIdParams, body: jsonBody(SetPasswordBody) },
      responses: {
        204: { description: "Set; every refresh token of the account's is revoked." },
        ...problemResponses(400, 401, 403, 404, 413, 415, 429),
      },
    }),
    async (c) => {
      await setUserPassword(deps, {
        actor: c.get('actor'),
        id: pathId(c, 'id', 'User'),
        newPassword: c.req.valid('json').new_password,
        request: hashRequest(c),
      });
      return c.body(null, 204);
    },
  );

  return app;
}
