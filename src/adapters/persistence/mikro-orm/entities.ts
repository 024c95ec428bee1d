import { defineEntity, p } from '@mikro-orm/core';
import { ApiToken, type Scope } from '../../../domain/api-token.ts';
import { User } from '../../../domain/user.ts';

/*
 * The mappings follow the tables the migrations create; the migrations, not these mappings, own
 * the schema: keys, checks, defaults and every index are written there. Tasks and the outbox
 * have no mapping: the task repository writes its SQL from the task table's column map
 * (task-table.ts), and the outbox's SQL is in outbox.ts and outbox-queue.ts.
 */

export const UserEntity = defineEntity({
  class: User,
  tableName: 'users',
  properties: {
    id: p.integer().primary(),
    username: p.text(),
    // Written with every new user, and never read back: the domain computes it from the name.
    usernameKey: p.text().lazy(),
    email: p.text(),
    passwordHash: p.text(),
    isStaff: p.boolean(),
    isActive: p.boolean(),
    dateJoined: p.datetime(),
  },
});

export const RefreshTokenEntity = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    digest: p.text().primary(),
    familyId: p.text(),
    userId: p.integer(),
    issuedAt: p.datetime(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export const ApiTokenEntity = defineEntity({
  class: ApiToken,
  tableName: 'api_tokens',
  properties: {
    id: p.integer().primary(),
    userId: p.integer(),
    name: p.text(),
    scopes: p.array<Scope>().columnType('text[]'),
    digest: p.text(),
    createdAt: p.datetime(),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export const ENTITIES = [UserEntity, RefreshTokenEntity, ApiTokenEntity];
