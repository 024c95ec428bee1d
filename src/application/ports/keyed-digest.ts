/** A keyed one-way digest: without the key, a stolen table cannot even confirm a guessed secret. */
export interface KeyedDigest {
  digest(secret: string): string;
}
