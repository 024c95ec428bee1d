import { DriverException } from '@mikro-orm/core';
import { Unavailable } from '../../../application/ports/unavailable.ts';
import { DomainError } from '../../../domain/errors.ts';

const databaseUnavailable = () =>
  new Unavailable('database_unavailable', 'The database is unavailable; try again shortly.');

/**
 * Any other failure of the database. It carries the SQLSTATE and the constraint's name only,
 * because the driver's message may quote the SQL or its values, which must never reach a log.
 */
export class DatabaseError extends Error {
  override name = 'DatabaseError';

  constructor(sqlState: string | undefined, constraint: string | undefined) {
    const details = [sqlState && `SQLSTATE ${sqlState}`, constraint && `constraint ${constraint}`];
    super(`database error (${details.filter(Boolean).join(', ') || 'unknown'})`);
  }
}

// Socket-level failures, and PostgreSQL's own: class 08 (connection exception) but for a
// protocol violation (08P01, a query the server refused, on a connection that lives on),
// shutting down (57P01–57P03) and too many connections (53300).
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

// pg reports a dropped or unobtainable connection by message only.
const CONNECTION_MESSAGES =
  /connection terminated|connection error|not queryable|timeout exceeded when trying to connect|cannot use a pool after calling end/i;

function stringProperty(error: unknown, name: 'code' | 'constraint'): string | undefined {
  const value = (error as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : undefined;
}

const codeOf = (error: unknown) => stringProperty(error, 'code');

function isConnectionFailure(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = codeOf(cause);
    if (code && (CONNECTION_CODES.has(code) || (code.startsWith('08') && code !== '08P01')))
      return true;
    if (CONNECTION_MESSAGES.test(cause.message)) return true;
    if (cause instanceof AggregateError && cause.errors.some(isConnectionFailure)) return true;
  }
  return false;
}

/** Whether an error came from PostgreSQL or its driver, as opposed to our own code. */
function isDatabaseError(error: unknown): boolean {
  return (
    error instanceof DriverException ||
    (error instanceof Error && 'severity' in error && /^[0-9A-Z]{5}$/.test(codeOf(error) ?? ''))
  );
}

/** What a database failure becomes at the adapter's boundary; anything else passes unchanged. */
export function translateFailure(error: unknown): unknown {
  if (error instanceof DomainError || error instanceof Unavailable) return error;
  if (isConnectionFailure(error)) return databaseUnavailable();
  if (isDatabaseError(error))
    return new DatabaseError(codeOf(error), stringProperty(error, 'constraint'));
  return error;
}

export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateFailure(error);
  }
}

/** The same object with every method guarded: the boundary of a repository used on its own. */
export function guardedMethods<T extends object>(target: T): T {
  const entries = Object.entries(target).map(([name, value]) => [
    name,
    typeof value === 'function'
      ? (...args: unknown[]) => guarded(() => value.apply(target, args))
      : value,
  ]);
  return Object.fromEntries(entries) as T;
}
