import { Writable } from 'node:stream';
import { pino } from 'pino';

/** A pino logger whose JSON lines a test can read back. */
export function capturedLogs() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines, text: () => JSON.stringify(lines) };
}
