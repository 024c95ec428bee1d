/** A staff member signed in to the console. Only a digest of the session's secret is kept. */
export interface StaffSessionRecord {
  digest: string;
  userId: number;
  createdAt: Date;
  expiresAt: Date;
}

export interface StaffSessionStore {
  add(record: StaffSessionRecord): Promise<void>;
  byDigest(digest: string): Promise<StaffSessionRecord | null>;
  remove(digest: string): Promise<void>;
  /** Ends every console session of the user. */
  removeAllOf(userId: number): Promise<void>;
  /** Deletes at most `limit` sessions that expired before `before`; returns how many. */
  purgeExpired(before: Date, limit: number): Promise<number>;
}
