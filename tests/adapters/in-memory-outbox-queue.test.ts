import { describe, expect, it } from 'vitest';
import { InMemoryDatabase } from '../../src/adapters/persistence/in-memory/database.ts';
import { type CompletionRecord, taskCompleted } from '../../src/domain/task-completed.ts';
import { inMemoryPersistence } from '../contracts/persistence.ts';

describe('in-memory outbox queue', () => {
  const completion: CompletionRecord = {
    type: 'task.completed',
    eventId: 'e1',
    taskId: 1,
    taskTitle: 'T',
    assigneeId: null,
    completedAt: new Date('2026-01-01T09:00:00Z'),
    completerId: 7,
  };
  const event = taskCompleted(completion, { assignee: null, completer: null });
  const later = (ms: number) => new Date(event.completedAt.getTime() + ms);

  it('records when an event was delivered', async () => {
    const db = new InMemoryDatabase();
    const { uow, queue } = inMemoryPersistence(db);
    await uow.run((tx) => tx.outbox.add(completion));
    await queue.claim(later(0), 1, later(60_000));

    await queue.markDelivered(['e1'], later(250));

    expect(db.outbox.get('e1')).toMatchObject({ state: 'delivered', deliveredAt: later(250) });
  });

  it('keeps a dead event with its last error', async () => {
    const db = new InMemoryDatabase();
    const { uow, queue } = inMemoryPersistence(db);
    await uow.run((tx) => tx.outbox.add(completion));
    await queue.claim(later(0), 1, later(60_000));

    await queue.markDead('e1', 'Lambda invoke failed: ServiceException (HTTP 500)');

    expect(db.outbox.get('e1')).toMatchObject({
      state: 'dead',
      attempts: 1,
      lastError: 'Lambda invoke failed: ServiceException (HTTP 500)',
      event,
    });
  });

  it('hands out copies, so a caller cannot change what is stored', async () => {
    const db = new InMemoryDatabase();
    const { uow, queue } = inMemoryPersistence(db);
    await uow.run((tx) => tx.outbox.add(completion));

    const [claimed] = await queue.claim(later(0), 1, later(60_000));
    if (claimed) claimed.event.taskTitle = 'changed';

    expect(db.outbox.get('e1')?.event.taskTitle).toBe('T');
  });
});
