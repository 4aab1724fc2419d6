import { getSubschema, isExternalObject, OBJECT_SUBSCHEMA_SYMBOL, type ExternalObject } from '@graphql-tools/delegate';
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { PlannedResolution } from '../planner/index.js';
import type { CollectorHandle, FieldTable } from './field-table.js';
import { CLOSE_ARRAY, CLOSE_OBJECT, COMMA, fragment, OPEN_OBJECT, type JsonBytes } from './json-bytes.js';
import { round } from './request-state.js';
import type { CountVisitor, FieldCounts } from './usage/index.js';

/** One field resolution in a detailed record. */
export interface Resolution {
  path: string;
  parentType: string;
  field: string;
  /** The service whose answer held the value, or "gateway". */
  service: string;
  /** Start, relative to the operation's start. */
  startMs: number;
  ms: number;
  error?: { message: string; code?: string };
}

/** Per coordinate: [count, total ms] or [count, total ms, errors]. */
export type FieldSummary = Record<string, [number, number] | [number, number, number]>;

// Detail entries: numbers (index, start, ms) in a growable Float64Array, object references (path,
// source) in an array, errors (rare) in a map: no object is allocated per resolution.
const NUMBERS = 3;

/** Counters by field table index, for resolutions reported one by one (wrapped resolvers). */
interface DenseCounts {
  readonly counts: Uint32Array;
  readonly errors: Uint32Array;
  /** Resolutions timed by a wrapped resolver (bulk counts are not timed). */
  readonly timed: Uint32Array;
  readonly ms: Float64Array;
}

/** A bulk report of the query planner: its own arrays, indexed like its coordinate list, mapped onto the table by `indexes`. */
interface BulkCounts extends DenseCounts {
  readonly indexes: Uint32Array;
}

/**
 * Collects one operation's field resolutions: counts, time and errors per coordinate (allocation-free
 * per field), and optionally every resolution for a detailed record.
 */
export class FieldCollector implements CollectorHandle, FieldCounts {
  // Allocated on the first resolution a wrapped resolver reports: planner-run operations report in
  // bulk (kept as they are, no table-sized arrays) and never keep a resolution.
  private dense: DenseCounts | undefined;
  private readonly bulk: BulkCounts[] = [];
  private numbers: Float64Array | undefined;
  private readonly refs: unknown[] = [];
  private failures: Map<number, unknown> | undefined;
  private size = 0;
  private omitted = 0;

  constructor(
    readonly table: FieldTable,
    /** Keep every resolution (the decision to log them is taken at the end). */
    private readonly detailed: boolean,
    private readonly maxDetailed: number,
    /** performance.now() when the operation started (its execute hook has read the clock already). */
    readonly started = performance.now(),
  ) {
    this.lastClock = started;
  }

  private denseCounts(): DenseCounts {
    if (this.dense) return this.dense;
    const n = this.table.coordinates.length;
    // One backing store for the four arrays (doubles first, for alignment).
    const buffer = new ArrayBuffer(n * 20);
    return (this.dense = {
      ms: new Float64Array(buffer, 0, n), counts: new Uint32Array(buffer, n * 8, n), errors: new Uint32Array(buffer, n * 12, n), timed: new Uint32Array(buffer, n * 16, n),
    });
  }

  // The latest clock reading: untimed resolutions are placed at it in the detailed record.
  private lastClock: number;

  // Methods, not per-instance arrow functions: the wrappers call them as collector.done(...), and a
  // collector per operation should not cost two closures.
  done(i: number, started: number, info: { path: unknown }, source: unknown, error: unknown): void {
    const now = performance.now();
    const ms = now - started;
    this.lastClock = now;
    const dense = this.dense ?? this.denseCounts();
    dense.counts[i]!++;
    dense.timed[i]!++;
    dense.ms[i]! += ms;
    if (error !== undefined) dense.errors[i]!++;
    if (this.detailed) this.keep(i, started - this.started, ms, info.path, source, error);
  }

  counted(i: number, info: { path: unknown }, source: unknown, error: unknown): void {
    const dense = this.dense ?? this.denseCounts();
    dense.counts[i]!++;
    if (error !== undefined) dense.errors[i]!++;
    if (this.detailed) this.keep(i, this.lastClock - this.started, 0, info.path, source, error);
  }

  private keep(i: number, start: number, ms: number, path: unknown, source: unknown, error: unknown): void {
    if (this.size >= this.maxDetailed) {
      this.omitted++;
      return;
    }
    let at = this.size * NUMBERS;
    let numbers = (this.numbers ??= new Float64Array(NUMBERS * 64));
    if (at + NUMBERS > numbers.length) {
      const grown = new Float64Array(numbers.length * 2);
      grown.set(numbers);
      this.numbers = numbers = grown;
    }
    numbers[at++] = i;
    numbers[at++] = start;
    numbers[at] = ms;
    this.refs.push(path, source);
    if (error !== undefined) (this.failures ??= new Map()).set(this.size, error);
    this.size++;
  }

  /**
   * Bulk counts from an engine that resolves without per-field resolvers (the query planner), with
   * the resolutions it timed and their total milliseconds.
   */
  addCounts(indexes: Uint32Array, counts: Uint32Array, errors: Uint32Array, timed: Uint32Array, ms: Float64Array): void {
    // The planner's arrays are fresh per execution: kept as they are, read when the operation is done.
    this.bulk.push({ indexes, counts, errors, timed, ms });
  }

  /** Every counted coordinate: the wrapped resolvers' counts, then each bulk report's. */
  forEachCounted(visit: CountVisitor): void {
    const dense = this.dense;
    if (dense) {
      const { counts, errors, timed, ms } = dense;
      for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) visit(i, counts[i]!, errors[i]!, timed[i]!, ms[i]!);
    }
    for (const { indexes, counts, errors, timed, ms } of this.bulk) {
      for (let k = 0; k < counts.length; k++) {
        const i = indexes[k]!;
        if (i !== NO_INDEX && counts[k] !== 0) visit(i, counts[k]!, errors[k]!, timed[k]!, ms[k]!);
      }
    }
  }

  /** True when every resolution is kept for a possible detailed record. */
  get keepsResolutions(): boolean {
    return this.detailed;
  }

  /**
   * Resolutions the query planner reports, read only if a detailed record is emitted: path and
   * service, and for a field that waited for a fetch that fetch's start and duration; fields read
   * from an answer show 0 ms at the clock reading of this report.
   */
  addPlannedResolutions(indexes: Uint32Array, read: () => readonly PlannedResolution[]): void {
    this.planned.push({ indexes, read, startMs: round(this.lastClock - this.started) });
  }

  /** Forgets kept resolutions once no detailed record will be made (they hold on to the operation's data). */
  dropResolutions(): void {
    this.planned.length = 0;
    this.refs.length = 0;
    this.numbers = undefined;
    this.failures = undefined;
    this.size = 0;
  }

  private readonly planned: Array<{ indexes: Uint32Array; read: () => readonly PlannedResolution[]; startMs: number }> = [];

  private plannedResolutions(list: Resolution[]): void {
    const { parentTypes, fieldNames } = this.table;
    for (const { indexes, read, startMs } of this.planned) {
      for (const r of read()) {
        const i = indexes[r.counter];
        if (i === undefined || i === NO_INDEX) continue;
        if (list.length >= this.maxDetailed) {
          this.omitted++;
          continue;
        }
        const resolution: Resolution = {
          path: r.path, parentType: parentTypes[i]!, field: fieldNames[i]!, service: r.service,
          startMs: r.timing ? round(r.timing.start - this.started) : startMs, ms: r.timing ? round(r.timing.ms) : 0,
        };
        if (r.error !== undefined) resolution.error = describeError(r.error);
        list.push(resolution);
      }
    }
  }

  get coordinates(): readonly string[] {
    return this.table.coordinates;
  }

  hasErrors(): boolean {
    if (this.dense?.errors.some((e) => e > 0)) return true;
    return this.bulk.some((b) => b.errors.some((e, k) => e > 0 && b.indexes[k] !== NO_INDEX));
  }

  /** Per coordinate: [count, total ms] (and errors when there were any). */
  summary(): FieldSummary {
    const { coordinates } = this.table;
    const out: FieldSummary = {};
    this.forEachCounted((i, count, errors, _timed, ms) => {
      const coordinate = coordinates[i]!;
      const seen = out[coordinate];
      if (seen) {
        count += seen[0];
        ms += seen[1];
        errors += seen[2] ?? 0;
      }
      out[coordinate] = errors ? [count, round(ms), errors] : [count, round(ms)];
    });
    return out;
  }

  /**
   * Appends `JSON.stringify(this.summary())` to the access line, from the counters, with each
   * coordinate's key encoded once per table. Falls back to the object when a coordinate may appear in
   * several reports (their counts must be added up first).
   */
  writeSummary(out: JsonBytes): void {
    if (this.bulk.length + (this.dense ? 1 : 0) > 1) return out.text(JSON.stringify(this.summary()));
    const keys = jsonKeysOf(this.table);
    let first = true;
    out.byte(OPEN_OBJECT);
    this.forEachCounted((i, count, errors, _timed, ms) => {
      this.writeCoordinate(out, keys, i, count, errors, ms, first);
      first = false;
    });
    out.byte(CLOSE_OBJECT);
  }

  /** `"Type.field":[count,ms]` or `[count,ms,errors]`, with a comma before it unless `first`. */
  private writeCoordinate(out: JsonBytes, keys: Array<Buffer | undefined>, i: number, count: number, errors: number, ms: number, first: boolean): void {
    if (!first) out.byte(COMMA);
    out.raw((keys[i] ??= fragment(`${JSON.stringify(this.table.coordinates[i])}:[`)));
    out.number(count);
    out.byte(COMMA);
    out.ms(ms);
    if (errors) {
      out.byte(COMMA);
      out.number(errors);
    }
    out.byte(CLOSE_ARRAY);
  }

  /** The detailed record: every resolution, in the order they finished. */
  resolutions(): { resolutions: Resolution[]; omitted: number } {
    const { parentTypes, fieldNames, owners } = this.table;
    const list: Resolution[] = [];
    const numbers = this.numbers ?? new Float64Array(0);
    for (let k = 0; k < this.size; k++) {
      const i = numbers[k * NUMBERS]!;
      const path = this.refs[k * 2] as Path;
      const error = this.failures?.get(k);
      const resolution: Resolution = {
        path: pathString(path),
        parentType: parentTypes[i]!,
        field: fieldNames[i]!,
        service: serviceOf(this.refs[k * 2 + 1], path, parentTypes[i]!, fieldNames[i]!, owners[i]),
        startMs: round(numbers[k * NUMBERS + 1]!),
        ms: round(numbers[k * NUMBERS + 2]!),
      };
      if (error !== undefined) resolution.error = describeError(error);
      list.push(resolution);
    }
    this.plannedResolutions(list);
    return { resolutions: list, omitted: this.omitted };
  }
}

export const NO_INDEX = 0xffffffff;

/** `"Type.field":[` per table index, encoded on first use. */
const jsonKeys = new WeakMap<FieldTable, Array<Buffer | undefined>>();

function jsonKeysOf(table: FieldTable): Array<Buffer | undefined> {
  let keys = jsonKeys.get(table);
  if (!keys) jsonKeys.set(table, (keys = []));
  return keys;
}

interface Path {
  prev: Path | undefined;
  key: string | number;
}

function pathString(path: Path): string {
  const keys: Array<string | number> = [];
  for (let p: Path | undefined = path; p; p = p.prev) keys.push(p.key);
  return keys.reverse().join('.');
}

/**
 * A value read from a service's answer names that service: the one that first returned the object when
 * it defines the field (a key like `Product.id` comes back from every service that merges the type),
 * else the one that added the field when merging. Root fields are attributed to their owner.
 */
function serviceOf(source: unknown, path: Path, typeName: string, fieldName: string, owner: string | undefined): string {
  if (source !== null && typeof source === 'object' && isExternalObject(source)) {
    const own = (source as ExternalObject)[OBJECT_SUBSCHEMA_SYMBOL] as Named | undefined;
    if (own?.name && defines(own.schema, typeName, fieldName)) return own.name;
    const merged = getSubschema(source as ExternalObject, String(path.key)) as Named | undefined;
    if (merged?.name) return merged.name;
  }
  return owner ?? 'gateway';
}

interface Named {
  name?: string;
  schema?: GraphQLSchema;
}

function defines(schema: GraphQLSchema | undefined, typeName: string, fieldName: string): boolean {
  const type = schema?.getType(typeName);
  return isObjectType(type) && fieldName in type.getFields();
}

function describeError(error: unknown): { message: string; code?: string } {
  const e = error as { message?: unknown; extensions?: { code?: unknown } };
  const code = typeof e?.extensions?.code === 'string' ? e.extensions.code : undefined;
  return { message: typeof e?.message === 'string' ? e.message : String(error), ...(code ? { code } : {}) };
}

