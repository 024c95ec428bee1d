import type { Actor } from '../../domain/user.ts';

/** What middleware leaves on the request context for the handlers after it. */
export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor;
  };
}
