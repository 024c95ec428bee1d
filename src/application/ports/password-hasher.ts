export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * False for a null hash too, after the same work as a real comparison, so a login for an
   * unknown user takes as long as one with a wrong password.
   */
  verify(password: string, hash: string | null): Promise<boolean>;
}
