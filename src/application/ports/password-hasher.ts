/**
 * Whom a hash is for. Hashing is the costliest thing a request can ask for, so waiting hashes
 * are served in turn across clients, and one whose client went away is never computed.
 */
export interface HashRequest {
  /** The client's address: each address waits in its own line, and the lines take turns. */
  client: string;
  /** Aborts when the client goes away. */
  signal?: AbortSignal;
}

/**
 * Both methods throw Unavailable (with a retry delay) when no worker took the hash within the
 * hasher's queue timeout, and the signal's reason when the client went away first.
 */
export interface PasswordHasher {
  hash(password: string, request?: HashRequest): Promise<string>;
  /**
   * False for a null hash too, after the same work as a real comparison, so a login for an
   * unknown user takes as long as one with a wrong password.
   */
  verify(password: string, hash: string | null, request?: HashRequest): Promise<boolean>;
}
