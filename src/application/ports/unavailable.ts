/**
 * A dependency the service needs (the database, a password-hash worker) cannot serve the request
 * now. Not a rule the caller broke, so not a DomainError: the request may succeed as it is once
 * the dependency is back. Adapters throw it; the HTTP adapter answers 503, with `Retry-After`
 * when the adapter can tell how long to wait.
 */
export class Unavailable extends Error {
  override name = 'Unavailable';
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
