import { bucketExpiresIn, type CounterBatch } from './usage-keys.js';
import type { UsageStore } from './usage-store.js';

/** Counters in this process's memory: the default without Redis. Buckets past retention are dropped. */
export function createMemoryUsageStore(): UsageStore {
  const buckets: CounterBatch = new Map();
  let nextPrune = 0;
  const prune = (now: number) => {
    if (now < nextPrune) return;
    nextPrune = now + 60_000;
    for (const id of buckets.keys()) if (bucketExpiresIn(id, now) <= 0) buckets.delete(id);
  };
  return {
    kind: 'memory',
    async write(chunks, now) {
      for (const chunk of chunks) {
        for (const [id, counters] of chunk.counters) {
          let target = buckets.get(id);
          if (!target) buckets.set(id, (target = new Map()));
          for (const [name, value] of counters) target.set(name, (target.get(name) ?? 0) + value);
        }
      }
      prune(now);
      return chunks.map(() => true);
    },
    async read(ids) {
      const sum = new Map<string, number>();
      for (const id of ids) for (const [name, value] of buckets.get(id) ?? []) sum.set(name, (sum.get(name) ?? 0) + value);
      return sum;
    },
  };
}
