import type { User, UserDraft } from '../../domain/user.ts';

export interface UserRepository {
  byId(id: number): Promise<User | null>;
  /** Inside a unit of work: also keeps concurrent writers off the user until it commits. */
  byIdForUpdate(id: number): Promise<User | null>;
  /** Matches case-insensitively, after the same normalization registration applies. */
  byUsername(username: string): Promise<User | null>;
  /** Throws the domain's `usernameTaken` error when the name exists in any letter case. */
  add(draft: UserDraft): Promise<User>;
  /** Writes what an account's own methods change: its password hash and its status. */
  save(user: User): Promise<void>;
  /**
   * Active users (every user with `includeInactive`) whose username contains `search` in any
   * letter case, by ascending id.
   */
  search(query: {
    search?: string;
    afterId?: number;
    limit: number;
    includeInactive?: boolean;
  }): Promise<User[]>;
  /** How many accounts exist, active or not. */
  count(): Promise<number>;
}
