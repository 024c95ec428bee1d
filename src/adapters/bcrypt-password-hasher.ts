import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { PasswordHasher } from '../application/ports/password-hasher.ts';

export function bcryptPasswordHasher(cost: number): PasswordHasher {
  // Compared against when the user does not exist, so that login costs the same either way.
  const dummyHash = bcrypt.hash(randomBytes(16).toString('hex'), cost);
  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      const matches = await bcrypt.compare(password, hash ?? (await dummyHash));
      return hash !== null && matches;
    },
  };
}
