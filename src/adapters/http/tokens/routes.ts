import { createRoute, z } from '@hono/zod-openapi';
import { createApiToken } from '../../../application/tokens/create-api-token.ts';
import { listApiTokens } from '../../../application/tokens/list-api-tokens.ts';
import { revokeApiToken } from '../../../application/tokens/revoke-api-token.ts';
import { featureApp, type RouteDeps } from '../feature-app.ts';
import { idParams, PageQuery, pathId } from '../fields.ts';
import { noStore } from '../no-store.ts';
import { jsonBody, jsonResponse, problemResponses, sessionSecurity } from '../openapi.ts';
import {
  ApiTokenBody,
  ApiTokenSchema,
  apiTokenResource,
  CreatedApiTokenSchema,
  createdApiToken,
} from './schemas.ts';

const TOKENS_CURSOR = 'api-tokens';

/** The caller's personal API tokens, for scripts and integrations. */
export function apiTokenRoutes({ deps, paging, authenticated, authenticator }: RouteDeps) {
  const app = featureApp();
  const common = {
    tags: ['API tokens'],
    middleware: authenticated,
    security: sessionSecurity,
  };
  const sessionOnly = 'A session only: an API token gets 403 `insufficient_scope`.';

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/api/tokens/',
      summary: 'Create a personal API token; its secret is shown only in this response',
      description: sessionOnly,
      // First, so that a refusal is not cached either.
      middleware: [noStore, ...authenticated],
      request: { body: jsonBody(ApiTokenBody) },
      responses: {
        201: jsonResponse(CreatedApiTokenSchema, 'The new token, with its secret.'),
        ...problemResponses(400, 401, 403, 413, 415, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const created = await createApiToken(deps, {
        actor: c.get('actor'),
        request: {
          name: body.name,
          scopes: body.scopes,
          expiresAt: body.expires_at ? new Date(body.expires_at) : null,
        },
      });
      return c.json(createdApiToken(created), 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/api/tokens/',
      summary: "The caller's API tokens that are not revoked (never their secrets)",
      description: sessionOnly,
      request: { query: PageQuery },
      responses: {
        200: jsonResponse(z.array(ApiTokenSchema), 'One page, by id; `Link` names the next.'),
        ...problemResponses(400, 401, 403, 429),
      },
    }),
    async (c) => {
      const page = await listApiTokens(deps, {
        actor: c.get('actor'),
        ...paging.byId(TOKENS_CURSOR, c.req.valid('query')),
      });
      return c.json(paging.items(c, TOKENS_CURSOR, page, apiTokenResource), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/api/tokens/{id}/',
      summary: 'Revoke one of your API tokens: it stops working at once',
      description: sessionOnly,
      request: { params: idParams('id') },
      responses: {
        204: { description: 'Revoked.' },
        ...problemResponses(401, 403, 404, 429),
      },
    }),
    async (c) => {
      const token = await revokeApiToken(deps, {
        actor: c.get('actor'),
        id: pathId(c, 'id', 'API token'),
      });
      authenticator.forgetApiToken(token);
      return c.body(null, 204);
    },
  );

  return app;
}
