import {
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import type { Ids } from '../application/ports/ids.ts';
import type { KeyedDigest } from '../application/ports/keyed-digest.ts';
import type { Secrets } from '../application/ports/secrets.ts';

export const nodeSecrets: Secrets = {
  token: () => randomBytes(32).toString('base64url'),
  // Refresh tokens carry 256 random bits, so a fast unsalted digest is enough to store them.
  digest: (secret) => createHash('sha256').update(secret).digest('hex'),
};

export const randomIds: Ids = { next: () => randomUUID() };

/**
 * HMAC-SHA-256 under a key derived from the service's signing secret (HKDF-SHA-256, its own
 * `info`, so the key serves nothing else). The secrets are random, so a fast keyed hash is enough:
 * no bcrypt per request. Changing the signing secret makes every stored digest unmatchable.
 */
export function hmacDigest(signingSecret: string): KeyedDigest {
  // A KeyObject, not bytes: given bytes, createHmac imports the key again on every call, which
  // cost 35 µs a digest against 5 µs here.
  const key = createSecretKey(
    Buffer.from(hkdfSync('sha256', signingSecret, '', 'task-api api-token digest', 32)),
  );
  return { digest: (secret) => createHmac('sha256', key).update(secret).digest('base64url') };
}
