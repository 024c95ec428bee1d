import type { z } from '@hono/zod-openapi';
import type { TokenPair } from '../../application/sessions.ts';
import type { Task } from '../../domain/task.ts';
import type { User } from '../../domain/user.ts';
import type {
  MeSchema,
  RegisteredUser,
  TaskSchema,
  TokenPairSchema,
  UserSummarySchema,
} from './schemas.ts';

export const taskResource = (task: Task): z.infer<typeof TaskSchema> => ({
  id: task.id,
  title: task.title,
  description: task.description,
  status: task.status,
  assigned_to: task.assignedTo,
  created_by: task.createdBy,
  created_at: task.createdAt.toISOString(),
  updated_at: task.updatedAt.toISOString(),
  completed_at: task.completedAt?.toISOString() ?? null,
  version: task.version,
});

export const registeredUser = (user: User): z.infer<typeof RegisteredUser> => ({
  id: user.id,
  username: user.username,
  email: user.email,
  date_joined: user.dateJoined.toISOString(),
});

export const meResource = (user: User): z.infer<typeof MeSchema> => ({
  ...registeredUser(user),
  is_staff: user.isStaff,
});

export const userSummary = (user: User): z.infer<typeof UserSummarySchema> => ({
  id: user.id,
  username: user.username,
});

export const tokenPair = (pair: TokenPair): z.infer<typeof TokenPairSchema> => ({
  token: pair.access,
  access: pair.access,
  refresh: pair.refresh,
  token_type: 'Bearer',
  expires_in: pair.expiresIn,
});
