/**
 * Hands items to `flush` in batches, one call at a time: the items that arrive while a call is
 * under way go together in the next. Alone, an item is flushed at once; under load there is one
 * call per batch instead of one per item. Each caller's promise settles with its batch's call.
 */
export function batched<T>(flush: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let waiting: { items: T[]; done: PromiseWithResolvers<void> } | null = null;
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    // Items added in the same tick join the first batch.
    await Promise.resolve();
    for (let batch = waiting; batch; batch = waiting) {
      waiting = null;
      try {
        await flush(batch.items);
        batch.done.resolve();
      } catch (error) {
        batch.done.reject(error);
      }
    }
    draining = false;
  }

  return (item) => {
    waiting ??= { items: [], done: Promise.withResolvers<void>() };
    waiting.items.push(item);
    const settled = waiting.done.promise;
    if (!draining) void drain();
    return settled;
  };
}
