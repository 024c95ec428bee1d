import { Migration } from '@mikro-orm/migrations';
import { codePointLength } from '../../../../domain/text.ts';
import { USERNAME_MAX, usernameKey } from '../../../../domain/user.ts';

const BATCH = 10_000;

/** `name` with `suffix`, shortened to fit the longest username. */
function suffixed(name: string, suffix: string): string {
  const room = USERNAME_MAX - codePointLength(suffix);
  return [...name].slice(0, room).join('') + suffix;
}

/**
 * A username's identity moves from PostgreSQL's `lower(username)` to a column of its own,
 * `username_key`: the domain's key (NFKC, full Unicode case folding, NFKC), computed here in
 * JavaScript, as PostgreSQL folds differently (`İ`, `ẞ`, letters newer than its Unicode tables).
 * The unique index moves to the key.
 *
 * Names that lower() kept apart may share a key (`xꟌ` and `xꟍ`, `Straße` and `STRASSE`): the
 * oldest account (lowest id) keeps its name, and each later one is renamed to `<name>.<id>`
 * (shortened to fit 150 code points; `.<id>.2` and so on should that be taken too). Nothing else
 * changes: its password, tokens and tasks stay; its owner logs in with the new name, which
 * `select id, username from users where username like '%.' || id` lists for the operator to
 * pass on.
 *
 * This computes keys with the domain's code as it is when the migration runs: a later change to
 * the key (a new Unicode version) needs a migration of its own that recomputes them.
 */
export class UsernameIdentity extends Migration {
  override async up(): Promise<void> {
    await this.execute('alter table users add column username_key text');
    // Renamed rows may pass through names lower() calls equal; the new index checks the result.
    await this.execute('drop index users_username_lower_key');
    const users = (await this.execute('select id, username from users order by id')) as {
      id: number;
      username: string;
    }[];
    // The oldest holder of each key keeps its name; only the later ones are renamed.
    const taken = new Set<string>();
    const rows: { id: number; username: string; key: string }[] = [];
    const later: typeof users = [];
    for (const user of users) {
      const key = usernameKey(user.username);
      if (taken.has(key)) later.push(user);
      else rows.push({ ...user, key });
      taken.add(key);
    }
    for (const { id, username } of later)
      for (let attempt = 1; ; attempt++) {
        const name = suffixed(username, attempt === 1 ? `.${id}` : `.${id}.${attempt}`);
        const key = usernameKey(name);
        if (taken.has(key)) continue;
        taken.add(key);
        rows.push({ id, username: name, key });
        break;
      }
    for (let start = 0; start < rows.length; start += BATCH) {
      await this.execute(
        `update users set username = batch.username, username_key = batch.key
         from json_to_recordset(?::json) as batch (id integer, username text, key text)
         where users.id = batch.id`,
        [JSON.stringify(rows.slice(start, start + BATCH))],
      );
    }
    await this.execute('alter table users alter column username_key set not null');
    await this.execute('create unique index users_username_key_key on users (username_key)');
  }

  override async down(): Promise<void> {
    await this.execute('drop index users_username_key_key');
    await this.execute('alter table users drop column username_key');
    await this.execute('create unique index users_username_lower_key on users (lower(username))');
  }
}
