import type { Deps } from '../deps.ts';

/** Logs out: the refresh token's family stops working. Unknown tokens are not an error. */
export async function revokeSession(
  deps: Pick<Deps, 'uow' | 'secrets' | 'clock'>,
  input: { refresh: string },
): Promise<void> {
  const digest = deps.secrets.digest(input.refresh);
  await deps.uow.run(async (tx) => {
    const record = await tx.refreshTokens.byDigest(digest);
    if (record && !record.revokedAt)
      await tx.refreshTokens.revokeFamily(record.familyId, deps.clock.now());
  });
}
