import { notFound } from '../../domain/errors.ts';
import type { User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

/** Makes an existing account staff, for an operator at the command line. */
export async function promoteUser(
  deps: Pick<Deps, 'uow'>,
  input: { username: string },
): Promise<{ user: User; wasStaff: boolean }> {
  return deps.uow.run(async (tx) => {
    const found = await tx.users.byUsername(input.username);
    const user = found && (await tx.users.byIdForUpdate(found.id));
    if (!user) throw notFound('User');
    const wasStaff = user.isStaff;
    user.promote();
    await tx.users.save(user);
    return { user, wasStaff };
  });
}
