import { Migration } from '@mikro-orm/migrations';

/** What the periodic purge looks for: expired refresh tokens, long-delivered outbox events. */
export class PurgeIndexes extends Migration {
  override up(): void {
    this.addSql('create index refresh_tokens_expires_at_idx on refresh_tokens (expires_at)');
    this.addSql(
      "create index task_outbox_delivered_at_idx on task_outbox (delivered_at) where state = 'delivered'",
    );
  }

  override down(): void {
    this.addSql('drop index task_outbox_delivered_at_idx');
    this.addSql('drop index refresh_tokens_expires_at_idx');
  }
}
