import { addCounter, bucketId, bucketStart, counterName, RESOLUTIONS, type CounterBatch } from './usage-keys.js';

/** Field counters of one operation, indexed like `coordinates` (typed arrays from the field collector). */
export interface FieldCounts {
  readonly coordinates: readonly string[];
  readonly counts: Uint32Array;
  readonly errors: Uint32Array;
  /** Resolutions that were timed (per-resolver path) and their total milliseconds. */
  readonly timed: Uint32Array;
  readonly ms: Float64Array;
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

interface ServiceEntry {
  minute: number;
  client: string;
  service: string;
  calls: number;
  failed: number;
  micros: number;
}

/**
 * The hot-path side of metering: adds each operation into per-minute entries (typed-array sums, one
 * map lookup per operation), bounded in distinct entries. `drain` turns them into bucket counters.
 */
export class UsageBuffer {
  private operations = new Map<string, OperationEntry>();
  private services = new Map<string, Map<string, ServiceEntry>>();
  /** Service entries of a minute that has passed, still to be drained. */
  private retired: ServiceEntry[] = [];
  private serviceEntries = 0;
  // Per-coordinate timings are not per client: summed per schema table and minute.
  private timings = new Map<string, { minute: number; coordinates: readonly string[]; timed: Float64Array; ms: Float64Array }>();
  // A small id per coordinate list (one list per schema version) for entry keys.
  private readonly tableIds = new WeakMap<readonly string[], string>();
  private nextTableId = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly onDropped: (counters: number) => void,
  ) {}

  get size(): number {
    return this.operations.size + this.serviceEntries;
  }

  operation(client: string, operation: string, durationMs: number, failed: boolean, fields: FieldCounts | undefined, now = Date.now()): void {
    const minute = bucketStart('m', now);
    // The coordinate list identifies the schema version: entries of two graphs are never mixed.
    const key = `${minute}\u0000${client}\u0000${operation}\u0000${fields ? this.tableId(fields.coordinates) : ''}`;
    let entry = this.operations.get(key);
    if (!entry) {
      if (this.size >= this.maxEntries) return this.onDropped(1 + (fields ? fields.counts.filter((n) => n > 0).length : 0));
      entry = { minute, client, operation, coordinates: fields?.coordinates, requests: 0, failed: 0, micros: 0 };
      if (fields) {
        entry.counts = new Uint32Array(fields.counts.length);
        entry.errors = new Uint32Array(fields.counts.length);
      }
      this.operations.set(key, entry);
    }
    entry.requests++;
    if (failed) entry.failed++;
    entry.micros += Math.round(durationMs * 1000);
    if (!fields || !entry.counts || !entry.errors) return;
    const { counts, errors, timed, ms } = fields;
    const timing = this.timingFor(minute, fields.coordinates);
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      entry.counts[i]! += counts[i]!;
      entry.errors[i]! += errors[i]!;
      timing.timed[i]! += timed[i]!;
      timing.ms[i]! += ms[i]!;
    }
  }

  upstream(client: string, service: string, durationMs: number, failed: boolean, now = Date.now()): void {
    const minute = bucketStart('m', now);
    // Nested maps instead of a composite string key: this runs for every upstream call.
    let byService = this.services.get(client);
    if (!byService) this.services.set(client, (byService = new Map()));
    let entry = byService.get(service);
    if (!entry || entry.minute !== minute) {
      if (entry) this.retired.push(entry);
      else if (this.size >= this.maxEntries) return this.onDropped(1);
      else this.serviceEntries++;
      byService.set(service, (entry = { minute, client, service, calls: 0, failed: 0, micros: 0 }));
    }
    entry.calls++;
    if (failed) entry.failed++;
    entry.micros += Math.round(durationMs * 1000);
  }

  /** Everything recorded so far as counters of minute, hour and day buckets; the buffer starts empty again. */
  drain(into: CounterBatch = new Map()): CounterBatch {
    const { operations, timings } = this;
    const services = [...this.retired, ...[...this.services.values()].flatMap((byService) => [...byService.values()])];
    this.operations = new Map();
    this.services = new Map();
    this.retired = [];
    this.serviceEntries = 0;
    this.timings = new Map();
    for (const e of operations.values()) {
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

  private timingFor(minute: number, coordinates: readonly string[]) {
    const key = `${minute}\u0000${this.tableId(coordinates)}`;
    let timing = this.timings.get(key);
    if (!timing) this.timings.set(key, (timing = { minute, coordinates, timed: new Float64Array(coordinates.length), ms: new Float64Array(coordinates.length) }));
    return timing;
  }

  private tableId(coordinates: readonly string[]): string {
    let id = this.tableIds.get(coordinates);
    if (id === undefined) this.tableIds.set(coordinates, (id = String(++this.nextTableId)));
    return id;
  }
}
