import { createHmac, timingSafeEqual } from 'node:crypto';
import { fieldError } from '../../domain/errors.ts';

const invalidCursor = () => fieldError('cursor', 'Invalid cursor.');

/**
 * Cursors are signed so a client cannot forge a position, and carry the ordering they were
 * made for so that one cannot be replayed against another.
 */
export function cursorCodec(secret: string) {
  const sign = (data: string) =>
    createHmac('sha256', secret).update(`cursor:${data}`).digest().subarray(0, 16);
  return {
    encode(ordering: string, position: unknown): string {
      const data = Buffer.from(JSON.stringify([ordering, position])).toString('base64url');
      return `${data}.${sign(data).toString('base64url')}`;
    },
    /** The position stored in the cursor; throws a validation error for anything else. */
    decode(ordering: string, cursor: string): unknown {
      const [data = '', mac = ''] = cursor.split('.');
      const expected = sign(data);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw invalidCursor();
      const [madeFor, position] = JSON.parse(Buffer.from(data, 'base64url').toString());
      if (madeFor !== ordering) throw invalidCursor();
      return position;
    },
  };
}

export type CursorCodec = ReturnType<typeof cursorCodec>;
