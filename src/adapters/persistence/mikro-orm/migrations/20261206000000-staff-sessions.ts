import { Migration } from '@mikro-orm/migrations';

/** Console sessions, and the index the console's lists of pending and dead events page by. */
export class StaffSessions extends Migration {
  override up(): void {
    this.addSql(`create table staff_sessions (
      digest text primary key,
      user_id integer not null references users (id) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null
    )`);
    // Deactivation, demotion and a new password end every session of the user.
    this.addSql('create index staff_sessions_user_id_idx on staff_sessions (user_id)');
    // What the periodic purge looks for.
    this.addSql('create index staff_sessions_expires_at_idx on staff_sessions (expires_at)');
    this.addSql(
      'create index task_outbox_state_created_at_event_id_idx on task_outbox (state, created_at, event_id)',
    );
  }

  override down(): void {
    this.addSql('drop index task_outbox_state_created_at_event_id_idx');
    this.addSql('drop table staff_sessions');
  }
}
