import type { CounterBatch } from './usage-keys.js';

/** Part of a flush, written atomically and at most once (its id makes a retry harmless). */
export interface BatchChunk {
  readonly id: string;
  readonly counters: CounterBatch;
  readonly size: number;
}

/** Where usage counters live: memory (one process) or Redis (shared by every gateway instance). */
export interface UsageStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Adds each chunk's counters. Resolves with one flag per chunk: true once it is stored (now or by an
   * earlier attempt with the same id), false when it could not be written and must be retried.
   */
  write(chunks: readonly BatchChunk[], now: number): Promise<boolean[]>;
  /** The sum of every counter over the given buckets. Throws when the store is unreachable. */
  read(bucketIds: readonly string[]): Promise<Map<string, number>>;
}
