import type { Actor } from '../../domain/user.ts';

export interface AccessToken {
  token: string;
  expiresIn: number;
}

export interface TokenService {
  issue(actor: Actor): Promise<AccessToken>;
  /** Throws the domain's invalid-token error for anything but an unexpired token this service signed. */
  verify(token: string): Promise<Actor>;
}
