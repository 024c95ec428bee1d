/** Secrets and their digests, so tests and adapters agree on where randomness comes from. */
export interface Secrets {
  /** An unguessable, URL-safe secret (refresh tokens). */
  token(): string;
  /** A one-way digest of a secret: what the service stores instead of the secret itself. */
  digest(secret: string): string;
}
