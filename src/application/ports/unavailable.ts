/**
 * A dependency the service needs (the database) cannot serve the request now. Not a rule the
 * caller broke, so not a DomainError: the request may succeed as it is once the dependency is
 * back. Adapters throw it; the HTTP adapter answers 503.
 */
export class Unavailable extends Error {
  override name = 'Unavailable';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
