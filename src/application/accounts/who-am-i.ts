import { accountGone } from '../../domain/errors.ts';
import type { Actor, User } from '../../domain/user.ts';
import type { Deps } from '../deps.ts';

export async function whoAmI(deps: Pick<Deps, 'users'>, actor: Actor): Promise<User> {
  const user = await deps.users.byId(actor.id);
  if (!user?.isActive) throw accountGone();
  return user;
}
