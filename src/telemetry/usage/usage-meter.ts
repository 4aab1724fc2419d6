import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { UsageBuffer, type FieldCounts } from './usage-buffer.js';
import { bucketsFor, counterCount, type CounterBatch } from './usage-keys.js';
import type { BatchChunk, UsageStore } from './usage-store.js';

export interface UsageMeterOptions {
  store: UsageStore;
  flushIntervalMs: number;
  /** Most distinct counters held in memory while the store is unreachable. */
  maxBufferedCounters: number;
  logger: Logger;
  onDropped(counters: number): void;
  onFlushFailed(): void;
}

export interface UsageQuery {
  from: number;
  to: number;
}

export interface UsageCounters {
  from: number;
  to: number;
  resolution: 'm' | 'h' | 'd';
  counters: Map<string, number>;
}

export interface UsageMeter extends AsyncDisposable {
  readonly store: UsageStore;
  operation(client: string, operation: string, durationMs: number, failed: boolean, fields?: FieldCounts): void;
  upstream(client: string, service: string, durationMs: number, failed: boolean): void;
  /** Writes what is buffered now; resolves when done or failed (a failure is retried on the next flush). */
  flush(): Promise<void>;
  /** Counters summed over [from, to], this instance's buffered counts included (flushed first). */
  read(query: UsageQuery): Promise<UsageCounters>;
  /** Counters buffered and not yet stored. */
  buffered(): number;
  close(): Promise<void>;
}

const CHUNK_COUNTERS = 2_000;

/**
 * Metering: the request path only adds to an in-memory buffer; a timer writes it to the store in
 * batches. While the store is down, counts stay buffered (merged, so memory grows with distinct
 * counters, not requests) and are written once it is back; chunk ids make a retried write count once.
 */
export function createUsageMeter(options: UsageMeterOptions): UsageMeter {
  const { store, logger } = options;
  const buffer = new UsageBuffer(Math.max(1, Math.floor(options.maxBufferedCounters / 8)), options.onDropped);
  const instance = randomUUID();
  let sequence = 0;
  let outbox: CounterBatch = new Map();
  // Chunks sent at least once and not yet confirmed: they are retried unchanged, with the same ids.
  let pending: BatchChunk[] = [];
  let flushing: Promise<void> | undefined;
  let failing = false;

  const bufferedCounters = () => counterCount(outbox) + pending.reduce((n, c) => n + c.size, 0);

  function mergeIntoOutbox(batch: CounterBatch) {
    let room = options.maxBufferedCounters - bufferedCounters();
    let dropped = 0;
    for (const [bucket, counters] of batch) {
      let target = outbox.get(bucket);
      for (const [name, value] of counters) {
        if (target?.has(name)) {
          target.set(name, target.get(name)! + value);
        } else if (room > 0) {
          if (!target) outbox.set(bucket, (target = new Map()));
          target.set(name, value);
          room--;
        } else {
          dropped++;
        }
      }
    }
    if (dropped) options.onDropped(dropped);
  }

  function seal() {
    let chunk: CounterBatch = new Map();
    let size = 0;
    const close = () => {
      if (size) pending.push({ id: `${instance}:${++sequence}`, counters: chunk, size });
      chunk = new Map();
      size = 0;
    };
    for (const [bucket, counters] of outbox) {
      for (const [name, value] of counters) {
        let target = chunk.get(bucket);
        if (!target) chunk.set(bucket, (target = new Map()));
        target.set(name, value);
        if (++size >= CHUNK_COUNTERS) close();
      }
    }
    close();
    outbox = new Map();
  }

  async function flushOnce() {
    mergeIntoOutbox(buffer.drain());
    // New counts join the outbox; they are sealed into chunks only once earlier chunks are confirmed,
    // so a retry never carries different contents under the same id.
    if (pending.length === 0) seal();
    if (pending.length === 0) return;
    const stored = await store.write(pending, Date.now());
    const before = pending.length;
    pending = pending.filter((_, i) => !stored[i]);
    if (pending.length) {
      options.onFlushFailed();
      if (!failing) logger.warn({ chunks: pending.length, counters: bufferedCounters() }, 'usage store unreachable; buffering counts');
      failing = true;
    } else if (failing) {
      logger.info({ chunks: before }, 'usage store reachable again; buffered counts written');
      failing = false;
    }
    if (pending.length === 0 && counterCount(outbox) > 0) await flushOnce();
  }

  const flush = () =>
    (flushing ??= flushOnce()
      .catch((error: unknown) => logger.error({ err: error }, 'usage flush failed'))
      .finally(() => (flushing = undefined)));

  const timer = setInterval(() => void flush(), options.flushIntervalMs);
  timer.unref();

  const close = async () => {
    clearInterval(timer);
    await flushing;
    await flush();
  };
  return {
    store,
    operation: (client, operation, durationMs, failed, fields) => buffer.operation(client, operation, durationMs, failed, fields),
    upstream: (client, service, durationMs, failed) => buffer.upstream(client, service, durationMs, failed),
    flush,
    async read({ from, to }) {
      await flushing;
      await flush();
      const buckets = bucketsFor(from, to, Date.now());
      return { from: buckets.from, to: buckets.to, resolution: buckets.resolution, counters: await store.read(buckets.ids) };
    },
    buffered: () => bufferedCounters() + buffer.size,
    close,
    [Symbol.asyncDispose]: close,
  };
}
