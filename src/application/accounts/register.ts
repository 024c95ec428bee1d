import { type User, usernameTaken, validateAccount } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';
import type { HashRequest } from '../ports/password-hasher.ts';

export interface Registration {
  username: string;
  password: string;
  email?: string;
  isStaff?: boolean;
  /** Whom the password is hashed for; the command line has no client to name. */
  request?: HashRequest;
}

export async function register(
  deps: Pick<Deps, 'users' | 'hasher' | 'clock'>,
  input: Registration,
): Promise<User> {
  const username = validateAccount(input);
  // Checked before hashing so a taken name costs no bcrypt work; the repository still enforces it.
  if (await deps.users.byUsername(username)) throw usernameTaken();
  return deps.users.add({
    username,
    email: input.email ?? '',
    passwordHash: await deps.hasher.hash(input.password, input.request),
    isStaff: input.isStaff ?? false,
    isActive: true,
    dateJoined: deps.clock.now(),
  });
}
