import type { Deps } from '../deps.ts';

export async function signOut(
  deps: Pick<Deps, 'staffSessions' | 'secrets'>,
  secret: string,
): Promise<void> {
  await deps.staffSessions.remove(deps.secrets.digest(secret));
}
