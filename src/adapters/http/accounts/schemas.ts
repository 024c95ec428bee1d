import { z } from '@hono/zod-openapi';
import type { TokenPair } from '../../../application/accounts/token-pairs.ts';
import { USERNAME_MAX, type User } from '../../../domain/user.ts';
import { Cursor, Id, Instant, idParams, Limit } from '../fields.ts';
import { instant } from '../instants.ts';

export const REFRESH_TOKEN_MAX = 512;

export const RegisterBody = z
  .object({
    username: z.string().openapi({
      maxLength: USERNAME_MAX,
      description: 'Letters, digits and @.+-_; unique in any letter case.',
      example: 'ada',
    }),
    password: z.string().openapi({
      minLength: 8,
      description: 'At least 8 characters, at most 72 UTF-8 bytes, not all digits.',
      example: 'correct horse battery',
    }),
    email: z.union([z.literal(''), z.email().max(254)]).optional(),
  })
  .openapi('Registration');

export const CredentialsBody = z
  .object({ username: z.string(), password: z.string() })
  .openapi('Credentials');

export const RefreshBody = z
  .object({ refresh: z.string().min(1).max(REFRESH_TOKEN_MAX) })
  .openapi('RefreshToken');

export const UserSearchQuery = z.object({
  search: z.string().max(USERNAME_MAX).optional(),
  limit: Limit,
  cursor: Cursor,
});

export const RegisteredUserSchema = z
  .object({ id: Id, username: z.string(), email: z.string(), date_joined: Instant })
  .openapi('RegisteredUser');

export const registeredUser = (user: User): z.infer<typeof RegisteredUserSchema> => ({
  id: user.id,
  username: user.username,
  email: user.email,
  date_joined: instant(user.dateJoined),
});

export const MeSchema = RegisteredUserSchema.extend({ is_staff: z.boolean() }).openapi('Me');

export const meResource = (user: User): z.infer<typeof MeSchema> => ({
  ...registeredUser(user),
  is_staff: user.isStaff,
});

const NewPassword = z.string().openapi({
  description: 'At least 8 characters, at most 72 UTF-8 bytes, not all digits.',
});

export const ChangePasswordBody = z
  .strictObject({ current_password: z.string(), new_password: NewPassword })
  .openapi('PasswordChange');

export const SetPasswordBody = z.strictObject({ new_password: NewPassword }).openapi('PasswordSet');

export const UserStatusBody = z
  .strictObject({ is_active: z.boolean().optional(), is_staff: z.boolean().optional() })
  .openapi('UserStatus');

export const ManagedUserSchema = MeSchema.extend({ is_active: z.boolean() }).openapi('ManagedUser');

export const managedUser = (user: User): z.infer<typeof ManagedUserSchema> => ({
  ...meResource(user),
  is_active: user.isActive,
});

export const UserIdParams = idParams('id');

export const UserSummarySchema = z.object({ id: Id, username: z.string() }).openapi('UserSummary');

export const userSummary = (user: User): z.infer<typeof UserSummarySchema> => ({
  id: user.id,
  username: user.username,
});

export const TokenPairSchema = z
  .object({
    token: z
      .string()
      .openapi({ description: 'Same as `access`, for clients of the original service.' }),
    access: z.string().openapi({ description: 'JWT; send as `Authorization: Bearer <access>`.' }),
    refresh: z.string().openapi({ description: 'Opaque; works once, at /api/token/refresh/.' }),
    token_type: z.literal('Bearer'),
    expires_in: z.int().openapi({ description: 'Seconds until `access` expires.' }),
  })
  .openapi('TokenPair');

export const tokenPair = (pair: TokenPair): z.infer<typeof TokenPairSchema> => ({
  token: pair.access,
  access: pair.access,
  refresh: pair.refresh,
  token_type: 'Bearer',
  expires_in: pair.expiresIn,
});
