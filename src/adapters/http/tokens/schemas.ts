import { z } from '@hono/zod-openapi';
import type { CreatedApiToken } from '../../../application/tokens/create-api-token.ts';
import { API_TOKEN_NAME_MAX, type ApiToken, SCOPES } from '../../../domain/api-token.ts';
import { Id, Instant } from '../fields.ts';
import { instant, instantOrNull } from '../instants.ts';

const Scopes = z.array(z.enum(SCOPES)).openapi({
  description: '`read` (GET) and `write` (POST, PUT, PATCH, DELETE); `write` implies `read`.',
  example: ['read'],
});

export const ApiTokenBody = z
  .strictObject({
    name: z.string().openapi({
      minLength: 1,
      maxLength: API_TOKEN_NAME_MAX,
      description: 'Trimmed; length in code points.',
      example: 'nightly export',
    }),
    scopes: Scopes.min(1),
    expires_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .openapi({ description: 'In the future; null or absent: the token never expires.' }),
  })
  .openapi('ApiTokenRequest');

export const ApiTokenSchema = z
  .object({
    id: Id,
    name: z.string(),
    scopes: Scopes,
    created_at: Instant,
    expires_at: Instant.nullable(),
    last_used_at: Instant.nullable().openapi({ description: 'Kept to within a minute.' }),
  })
  .openapi('ApiToken');

export const apiTokenResource = (token: ApiToken): z.infer<typeof ApiTokenSchema> => ({
  id: token.id,
  name: token.name,
  scopes: [...token.scopes],
  created_at: instant(token.createdAt),
  expires_at: instantOrNull(token.expiresAt),
  last_used_at: instantOrNull(token.lastUsedAt),
});

export const CreatedApiTokenSchema = ApiTokenSchema.extend({
  token: z.string().openapi({
    description: 'The secret, shown only in this response: send `Authorization: Bearer tsk_…`.',
    example: 'tsk_4fJ0aD…',
  }),
}).openapi('CreatedApiToken');

export const createdApiToken = ({
  token,
  secret,
}: CreatedApiToken): z.infer<typeof CreatedApiTokenSchema> => ({
  ...apiTokenResource(token),
  token: secret,
});
