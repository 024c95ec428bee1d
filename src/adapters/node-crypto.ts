import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Ids } from '../application/ports/ids.ts';
import type { Secrets } from '../application/ports/secrets.ts';

export const nodeSecrets: Secrets = {
  token: () => randomBytes(32).toString('base64url'),
  // Refresh tokens carry 256 random bits, so a fast unsalted digest is enough to store them.
  digest: (secret) => createHash('sha256').update(secret).digest('hex'),
};

export const randomIds: Ids = { next: () => randomUUID() };
