import { type Logger, pino } from 'pino';

export type { Logger };

/** pino-pretty is a development dependency: absent from production installs, and never needed. */
function prettyAvailable(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** JSON lines, except for a person at a terminal in development. */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const pretty = options.pretty && prettyAvailable();
  return pino(
    {
      level,
      base: undefined,
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: nothing should log these, but if something does they stay out of the logs.
      redact: {
        paths: ['password', 'token', 'access', 'refresh', '*.password', '*.authorization'],
        censor: '[redacted]',
      },
      ...(pretty && { transport: { target: 'pino-pretty' } }),
    },
    // Written as the event loop allows, lines that queue up meanwhile in one write, rather than one
    // blocking write per line: a write per request cost more than the rest of the request log.
    // pino flushes what is left when the process exits.
    pretty ? undefined : pino.destination({ dest: 1, sync: false }),
  );
}
