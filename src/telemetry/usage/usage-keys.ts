/** Bucket sizes: minute, hour, day. Every count is written to one bucket of each. */
export type Resolution = 'm' | 'h' | 'd';
export const RESOLUTIONS: readonly Resolution[] = ['m', 'h', 'd'];

export const BUCKET_MS: Record<Resolution, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** How long buckets are kept: minutes for 2 days, hours for 35 days, days for 400 days. */
export const RETENTION_MS: Record<Resolution, number> = { m: 2 * 86_400_000, h: 35 * 86_400_000, d: 400 * 86_400_000 };

export const bucketStart = (resolution: Resolution, time: number) => Math.floor(time / BUCKET_MS[resolution]) * BUCKET_MS[resolution];

/** A bucket's id, e.g. "m:1764300000000"; stores derive their keys from it. */
export const bucketId = (resolution: Resolution, start: number) => `${resolution}:${start}`;

export function parseBucketId(id: string): { resolution: Resolution; start: number } {
  return { resolution: id[0] as Resolution, start: Number(id.slice(2)) };
}

/** Milliseconds until a bucket may be forgotten. */
export const bucketExpiresIn = (id: string, now: number) => {
  const { resolution, start } = parseBucketId(id);
  return start + BUCKET_MS[resolution] + RETENTION_MS[resolution] - now;
};

/**
 * What a counter counts. Values are integers (durations in microseconds) so Redis can HINCRBY them.
 * o/oe/od: operations, failed operations, operation µs per client × operation;
 * f/fe: field resolutions and errors per client × operation × coordinate;
 * ft/fd: timed resolutions and their µs per coordinate (all clients);
 * s/se/sd: upstream calls, failed calls, µs per client × service.
 */
export type CounterKind = 'o' | 'oe' | 'od' | 'f' | 'fe' | 'ft' | 'fd' | 's' | 'se' | 'sd';

/** A counter's name inside its bucket: a JSON array, so no client id or name can break the format. */
export const counterName = (kind: CounterKind, ...parts: string[]) => JSON.stringify([kind, ...parts]);

export function parseCounterName(name: string): [CounterKind, ...string[]] | undefined {
  try {
    const parsed: unknown = JSON.parse(name);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? (parsed as [CounterKind, ...string[]]) : undefined;
  } catch {
    return undefined;
  }
}

/** The buckets to read for [from, to]: the finest resolution that still holds `from` and needs few buckets. */
export function bucketsFor(from: number, to: number, now: number): { resolution: Resolution; ids: string[]; from: number; to: number } {
  const span = to - from;
  const age = now - from;
  const resolution: Resolution =
    span <= 6 * 3_600_000 && age < RETENTION_MS.m ? 'm' : span <= 14 * 86_400_000 && age < RETENTION_MS.h ? 'h' : 'd';
  const first = bucketStart(resolution, from);
  const last = bucketStart(resolution, to);
  const ids: string[] = [];
  for (let start = first; start <= last && ids.length < 1000; start += BUCKET_MS[resolution]) ids.push(bucketId(resolution, start));
  return { resolution, ids, from: first, to: last + BUCKET_MS[resolution] };
}

/** Counters per bucket: bucket id -> counter name -> value. */
export type CounterBatch = Map<string, Map<string, number>>;

export function addCounter(batch: CounterBatch, bucket: string, name: string, value: number): void {
  let counters = batch.get(bucket);
  if (!counters) batch.set(bucket, (counters = new Map()));
  counters.set(name, (counters.get(name) ?? 0) + value);
}

export function counterCount(batch: CounterBatch): number {
  let n = 0;
  for (const counters of batch.values()) n += counters.size;
  return n;
}
