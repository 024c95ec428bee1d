interface Entry<V> {
  value: Promise<V>;
  expiresAt: number;
}

/**
 * What a process remembers of slow reads for `ttlMs`: at most `max` entries. Concurrent reads of
 * one key share one load; a failed load is not remembered.
 */
export function remembered<K, V>(ttlMs: number, max: number) {
  // Insertion order is expiry order, since every entry lives equally long: stale ones lead.
  const entries = new Map<K, Entry<V>>();

  function forgetStale(now: number): void {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > now && entries.size < max) return;
      entries.delete(key);
    }
  }

  return {
    get(key: K, now: number, load: () => Promise<V>): Promise<V> {
      const known = entries.get(key);
      if (known && known.expiresAt > now) return known.value;
      entries.delete(key);
      forgetStale(now);
      const entry: Entry<V> = { value: load(), expiresAt: now + ttlMs };
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      entries.set(key, entry);
      return entry.value;
    },
    forget(key: K): void {
      entries.delete(key);
    },
  };
}
