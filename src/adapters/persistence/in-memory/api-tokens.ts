import type { ApiTokenStore } from '../../../application/ports/api-tokens.ts';
import { ApiToken, type ApiTokenProps } from '../../../domain/api-token.ts';
import type { InMemoryDatabase } from './database.ts';

export function inMemoryApiTokens(db: InMemoryDatabase): ApiTokenStore {
  const token = (props: ApiTokenProps) => new ApiToken({ ...props, scopes: [...props.scopes] });
  const update = (props: ApiTokenProps, changes: Partial<ApiTokenProps>) => {
    const changed = { ...props, ...changes };
    db.apiTokens.set(props.id, changed);
    return token(changed);
  };
  return {
    async add(draft) {
      const props = { ...draft, id: db.nextApiTokenId++, lastUsedAt: null, revokedAt: null };
      db.apiTokens.set(props.id, props);
      return token(props);
    },
    async byDigest(digest) {
      const props = [...db.apiTokens.values()].find((row) => row.digest === digest);
      return props ? token(props) : null;
    },
    async listOf(userId, { afterId = 0, limit }) {
      return [...db.apiTokens.values()]
        .filter((row) => row.userId === userId && row.revokedAt === null && row.id > afterId)
        .sort((a, b) => a.id - b.id)
        .slice(0, limit)
        .map(token);
    },
    async revoke(userId, id, at) {
      const props = db.apiTokens.get(id);
      if (!props || props.userId !== userId || props.revokedAt) return null;
      return update(props, { revokedAt: at });
    },
    async recordUse(id, at, unlessSince) {
      const props = db.apiTokens.get(id);
      if (props && !(props.lastUsedAt && props.lastUsedAt >= unlessSince))
        update(props, { lastUsedAt: at });
    },
    async purgeExpired(before, limit) {
      const done = [...db.apiTokens.values()]
        .filter(
          (row) =>
            (row.expiresAt !== null && row.expiresAt < before) ||
            (row.revokedAt !== null && row.revokedAt < before),
        )
        .slice(0, limit);
      for (const row of done) db.apiTokens.delete(row.id);
      return done.length;
    },
  };
}
