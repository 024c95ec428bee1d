/** Thrown when the work did not settle within its time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * The work's outcome, or a TimeoutError once `ms` pass without one. The work itself is not
 * stopped (a promise cannot be), only no longer waited for.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
