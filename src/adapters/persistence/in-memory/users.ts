import type { UserRepository } from '../../../application/ports/users.ts';
import { User, usernameKey, usernameTaken } from '../../../domain/user.ts';
import type { InMemoryDatabase, UndoLog } from './database.ts';

export function inMemoryUsers(db: InMemoryDatabase, undo: UndoLog | null = null): UserRepository {
  const all = () => [...db.users.values()];
  const read = (id: number) => {
    const props = db.users.get(id);
    return props ? new User({ ...props }) : null;
  };
  return {
    byId: async (id) => read(id),
    byIdForUpdate: async (id) => read(id),
    async byUsername(username) {
      const key = usernameKey(username);
      const props = all().find((user) => usernameKey(user.username) === key);
      return props ? new User({ ...props }) : null;
    },
    async add(draft) {
      const key = usernameKey(draft.username);
      if (all().some((user) => usernameKey(user.username) === key)) throw usernameTaken();
      const id = db.nextUserId++;
      db.put(db.users, id, { ...draft, id }, undo);
      return new User({ ...draft, id });
    },
    async save(user) {
      const props = db.users.get(user.id);
      if (props)
        db.put(
          db.users,
          user.id,
          {
            ...props,
            passwordHash: user.passwordHash,
            isActive: user.isActive,
            isStaff: user.isStaff,
          },
          undo,
        );
    },
    async search({ search, afterId = 0, limit, includeInactive = false }) {
      const needle = search?.toLowerCase() ?? '';
      return all()
        .filter(
          (u) =>
            (includeInactive || u.isActive) &&
            u.id > afterId &&
            u.username.toLowerCase().includes(needle),
        )
        .sort((a, b) => a.id - b.id)
        .slice(0, limit)
        .map((props) => new User({ ...props }));
    },
    count: async () => db.users.size,
  };
}
