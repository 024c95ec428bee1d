import { type User, usernameTaken, validateAccount } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

export interface Registration {
  username: string;
  password: string;
  email?: string;
  isStaff?: boolean;
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
    passwordHash: await deps.hasher.hash(input.password),
    isStaff: input.isStaff ?? false,
    isActive: true,
    dateJoined: deps.clock.now(),
  });
}
