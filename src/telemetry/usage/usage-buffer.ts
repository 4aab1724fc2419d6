import { addCounter, bucketId, bucketStart, counterName, RESOLUTIONS, type CounterBatch } from './usage-keys.js';

/** Visits one coordinate's counts; a coordinate may be visited more than once (the sums are what count). */
export type CountVisitor = (index: number, count: number, errors: number, timed: number, ms: number) => void;

/** Field counters of one operation by index into `coordinates` (the field collector's), visited where non-zero. */
export interface FieldCounts {
  readonly coordinates: readonly string[];
  /** Count, errors, resolutions timed (per-resolver path) and their total milliseconds, per counted coordinate. */
  forEachCounted(visit: CountVisitor): void;
}

interface OperationEntry {
  minute: number;
  client: string;
  operation: string;
  coordinates: readonly string[] | undefined;
  requests: number;
  failed: number;
  micros: number;
  counts?: Uint32Array;
  errors?: Uint32Array;
}

interface Timing {
  minute: number;
  coordinates: readonly string[];
  timed: Float64Array;
  ms: Float64Array;
}

interface ServiceEntry {
  minute: number;
  client: string;
  service: string;
  calls: number;
  failed: number;
  micros: number;
}

/**
 * Entries by two keys (client, then operation or service), one live entry per pair: an entry of a
 * later minute or another schema version replaces it, and the old one is kept, retired, until the
 * next drain. Nested maps instead of a composite string key: this runs for every operation and
 * every upstream call.
 */
class EntryTable<E extends { readonly minute: number; readonly coordinates?: readonly string[] }> {
  private live = new Map<string, Map<string, E>>();
  private retired: E[] = [];
  /** Live entries (retired ones are not counted: they are at most one per pair and drained with them). */
  size = 0;

  constructor(private readonly create: (a: string, b: string, minute: number, coordinates: readonly string[] | undefined) => E) {}

  /** The entry of (a, b) for this minute and schema; undefined when (a, b) has none and `full`. */
  entry(a: string, b: string, minute: number, coordinates: readonly string[] | undefined, full: boolean): E | undefined {
    let byB = this.live.get(a);
    if (!byB) this.live.set(a, (byB = new Map()));
    let entry = byB.get(b);
    if (entry && entry.minute === minute && entry.coordinates === coordinates) return entry;
    if (entry) this.retired.push(entry);
    else if (full) return undefined;
    else this.size++;
    byB.set(b, (entry = this.create(a, b, minute, coordinates)));
    return entry;
  }

  /** Every entry, retired and live; the table starts empty again. */
  drain(): E[] {
    const all = [...this.retired, ...[...this.live.values()].flatMap((byB) => [...byB.values()])];
    this.live = new Map();
    this.retired = [];
    this.size = 0;
    return all;
  }
}

/**
 * The hot-path side of metering: adds each operation into per-minute entries (typed-array sums, one
 * map lookup per operation), bounded in distinct entries. `drain` turns them into bucket counters.
 */
export class UsageBuffer {
  private readonly operations = new EntryTable<OperationEntry>((client, operation, minute, coordinates) => ({
    minute, client, operation, coordinates, requests: 0, failed: 0, micros: 0,
    ...(coordinates ? { counts: new Uint32Array(coordinates.length), errors: new Uint32Array(coordinates.length) } : {}),
  }));
  private readonly services = new EntryTable<ServiceEntry>((client, service, minute) => ({ minute, client, service, calls: 0, failed: 0, micros: 0 }));
  // Per-coordinate timings are not per client: summed per schema table and minute.
  private timings = new Map<string, Timing>();
  private lastTiming: Timing | undefined;
  // A small id per coordinate list (one list per schema version) for entry keys.
  private readonly tableIds = new WeakMap<readonly string[], string>();
  private nextTableId = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly onDropped: (counters: number) => void,
  ) {}

  get size(): number {
    return this.operations.size + this.services.size;
  }

  operation(client: string, operation: string, durationMs: number, failed: boolean, fields: FieldCounts | undefined, now = Date.now()): void {
    const minute = bucketStart('m', now);
    // The coordinate list identifies the schema version: entries of two graphs are never mixed.
    const entry = this.operations.entry(client, operation, minute, fields?.coordinates, this.size >= this.maxEntries);
    if (!entry) return this.onDropped(1 + countedFields(fields));
    entry.requests++;
    if (failed) entry.failed++;
    entry.micros += Math.round(durationMs * 1000);
    const { counts, errors } = entry;
    if (!fields || !counts || !errors) return;
    const timing = this.timingFor(minute, fields.coordinates);
    fields.forEachCounted((i, count, errorCount, timed, ms) => {
      counts[i]! += count;
      errors[i]! += errorCount;
      timing.timed[i]! += timed;
      timing.ms[i]! += ms;
    });
  }

  upstream(client: string, service: string, durationMs: number, failed: boolean, now = Date.now()): void {
    const entry = this.services.entry(client, service, bucketStart('m', now), undefined, this.size >= this.maxEntries);
    if (!entry) return this.onDropped(1);
    entry.calls++;
    if (failed) entry.failed++;
    entry.micros += Math.round(durationMs * 1000);
  }

  /** Everything recorded so far as counters of minute, hour and day buckets; the buffer starts empty again. */
  drain(into: CounterBatch = new Map()): CounterBatch {
    const { timings } = this;
    const operations = this.operations.drain();
    const services = this.services.drain();
    this.timings = new Map();
    this.lastTiming = undefined;
    for (const e of operations) {
      for (const resolution of RESOLUTIONS) {
        const bucket = bucketId(resolution, bucketStart(resolution, e.minute));
        addCounter(into, bucket, counterName('o', e.client, e.operation), e.requests);
        if (e.failed) addCounter(into, bucket, counterName('oe', e.client, e.operation), e.failed);
        addCounter(into, bucket, counterName('od', e.client, e.operation), e.micros);
        if (!e.counts || !e.errors || !e.coordinates) continue;
        for (let i = 0; i < e.counts.length; i++) {
          if (e.counts[i] === 0) continue;
          addCounter(into, bucket, counterName('f', e.client, e.operation, e.coordinates[i]!), e.counts[i]!);
          if (e.errors[i]) addCounter(into, bucket, counterName('fe', e.client, e.operation, e.coordinates[i]!), e.errors[i]!);
        }
      }
    }
    for (const t of timings.values()) {
      for (const resolution of RESOLUTIONS) {
        const bucket = bucketId(resolution, bucketStart(resolution, t.minute));
        for (let i = 0; i < t.timed.length; i++) {
          if (t.timed[i] === 0) continue;
          addCounter(into, bucket, counterName('ft', t.coordinates[i]!), t.timed[i]!);
          addCounter(into, bucket, counterName('fd', t.coordinates[i]!), Math.round(t.ms[i]! * 1000));
        }
      }
    }
    for (const e of services) {
      for (const resolution of RESOLUTIONS) {
        const bucket = bucketId(resolution, bucketStart(resolution, e.minute));
        addCounter(into, bucket, counterName('s', e.client, e.service), e.calls);
        if (e.failed) addCounter(into, bucket, counterName('se', e.client, e.service), e.failed);
        addCounter(into, bucket, counterName('sd', e.client, e.service), e.micros);
      }
    }
    return into;
  }

  private timingFor(minute: number, coordinates: readonly string[]): Timing {
    const last = this.lastTiming;
    if (last?.minute === minute && last.coordinates === coordinates) return last;
    const key = `${minute}\u0000${this.tableId(coordinates)}`;
    let timing = this.timings.get(key);
    if (!timing) this.timings.set(key, (timing = { minute, coordinates, timed: new Float64Array(coordinates.length), ms: new Float64Array(coordinates.length) }));
    return (this.lastTiming = timing);
  }

  private tableId(coordinates: readonly string[]): string {
    let id = this.tableIds.get(coordinates);
    if (id === undefined) this.tableIds.set(coordinates, (id = String(++this.nextTableId)));
    return id;
  }
}

/** Distinct coordinates counted in an operation (what a dropped entry would have held). */
function countedFields(fields: FieldCounts | undefined): number {
  if (!fields) return 0;
  const seen = new Set<number>();
  fields.forEachCounted((i) => seen.add(i));
  return seen.size;
}
