import { Migration } from '@mikro-orm/migrations';

/**
 * Due dates, priorities and labels on tasks, with an index for each new ordering and for the
 * label filter; due-date reminders in the outbox beside completions.
 */
export class RicherTasks extends Migration {
  override up(): void {
    // An undated task is due at 'infinity': after every dated one in (due_at, id) order and
    // before them in reverse, as the contract orders them, from one plain btree.
    this.addSql(`alter table tasks
      add column due_at timestamptz not null default 'infinity',
      add column priority smallint not null default 0 check (priority between 0 and 4),
      add column labels text[] not null default '{}',
      add column label_keys text[] not null default '{}'`);
    this.addSql('create index tasks_due_at_id_idx on tasks (due_at, id)');
    this.addSql('create index tasks_priority_id_idx on tasks (priority, id)');
    // `label_keys @> array[…]`: the tasks with every label asked for.
    this.addSql('create index tasks_label_keys_idx on tasks using gin (label_keys)');

    this.addSql(`alter table task_outbox
      add column type text not null default 'task.completed'
        check (type in ('task.completed', 'task.due')),
      add column due_at timestamptz,
      alter column completed_by drop not null,
      alter column completed_at drop not null,
      drop constraint task_outbox_state_check,
      add constraint task_outbox_state_check
        check (state in ('pending', 'delivered', 'dead', 'cancelled')),
      add constraint task_outbox_event_fields_check check (case type
        when 'task.completed' then completed_by is not null and completed_at is not null
        else due_at is not null end)`);
    // At most one reminder per task and due date, whatever races to add it; it also finds the
    // reminder of a task to withdraw.
    this.addSql(
      `create unique index task_outbox_reminder_key on task_outbox (task_id, due_at) where type = 'task.due'`,
    );
  }

  override down(): void {
    this.addSql("delete from task_outbox where type <> 'task.completed' or state = 'cancelled'");
    this.addSql(`alter table task_outbox
      drop constraint task_outbox_event_fields_check,
      drop constraint task_outbox_state_check,
      add constraint task_outbox_state_check check (state in ('pending', 'delivered', 'dead')),
      alter column completed_by set not null,
      alter column completed_at set not null,
      drop column due_at,
      drop column type`);
    this.addSql(`alter table tasks
      drop column label_keys, drop column labels, drop column priority, drop column due_at`);
  }
}
