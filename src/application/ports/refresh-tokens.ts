export interface RefreshTokenRecord {
  digest: string;
  familyId: string;
  userId: number;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export interface RefreshTokenStore {
  add(record: Omit<RefreshTokenRecord, 'usedAt' | 'revokedAt'>): Promise<void>;
  byDigest(digest: string): Promise<RefreshTokenRecord | null>;
  /** Marks an unused token used; false when it already was, which is how reuse shows. */
  markUsed(digest: string, at: Date): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
  /** Revokes every family of the user: each of their sessions has to log in again. */
  revokeAllOf(userId: number, at: Date): Promise<void>;
  /** Deletes at most `limit` tokens that expired before `before`; returns how many it deleted. */
  purgeExpired(before: Date, limit: number): Promise<number>;
}
