import { getSubschema, isExternalObject, OBJECT_SUBSCHEMA_SYMBOL, type ExternalObject } from '@graphql-tools/delegate';
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { CollectorHandle, FieldTable } from './field-table.js';

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

// Detail entries are stored flat, 6 slots per resolution, so recording one is a single push.
const SLOTS = 6;

/**
 * Collects one operation's field resolutions: counts, time and errors per coordinate in typed arrays
 * (allocation-free per field), and optionally every resolution for a detailed record.
 */
export class FieldCollector implements CollectorHandle {
  readonly counts: Uint32Array;
  readonly errors: Uint32Array;
  /** Resolutions timed by a wrapped resolver (bulk counts are not timed). */
  readonly timed: Uint32Array;
  readonly ms: Float64Array;
  readonly started = performance.now();
  private readonly entries: unknown[] = [];
  private omitted = 0;

  constructor(
    readonly table: FieldTable,
    /** Keep every resolution (the decision to log them is taken at the end). */
    private readonly detailed: boolean,
    private readonly maxDetailed: number,
  ) {
    const n = table.coordinates.length;
    this.counts = new Uint32Array(n);
    this.errors = new Uint32Array(n);
    this.timed = new Uint32Array(n);
    this.ms = new Float64Array(n);
  }

  readonly done = (i: number, started: number, info: { path: unknown }, source: unknown, error: unknown): void => {
    const ms = performance.now() - started;
    this.counts[i]!++;
    this.timed[i]!++;
    this.ms[i]! += ms;
    if (error !== undefined) this.errors[i]!++;
    if (!this.detailed) return;
    if (this.entries.length >= this.maxDetailed * SLOTS) this.omitted++;
    else this.entries.push(i, started - this.started, ms, info.path, source, error);
  };

  /** Bulk counts from an engine that resolves without per-field resolvers (the query planner). */
  addCounts(indexes: Uint32Array, counts: Uint32Array): void {
    for (let k = 0; k < counts.length; k++) {
      const i = indexes[k]!;
      if (i !== NO_INDEX) this.counts[i]! += counts[k]!;
    }
  }

  get coordinates(): readonly string[] {
    return this.table.coordinates;
  }

  hasErrors(): boolean {
    return this.errors.some((e) => e > 0);
  }

  summary(): FieldSummary {
    const out: FieldSummary = {};
    const { coordinates } = this.table;
    for (let i = 0; i < this.counts.length; i++) {
      const n = this.counts[i]!;
      if (n === 0) continue;
      const ms = Math.round(this.ms[i]! * 1000) / 1000;
      out[coordinates[i]!] = this.errors[i] ? [n, ms, this.errors[i]!] : [n, ms];
    }
    return out;
  }

  /** The detailed record: every resolution, in the order they finished. */
  resolutions(): { resolutions: Resolution[]; omitted: number } {
    const { parentTypes, fieldNames, owners } = this.table;
    const list: Resolution[] = [];
    for (let k = 0; k < this.entries.length; k += SLOTS) {
      const i = this.entries[k] as number;
      const path = this.entries[k + 3] as Path;
      const error = this.entries[k + 5];
      const resolution: Resolution = {
        path: pathString(path),
        parentType: parentTypes[i]!,
        field: fieldNames[i]!,
        service: serviceOf(this.entries[k + 4], path, parentTypes[i]!, fieldNames[i]!, owners[i]),
        startMs: round(this.entries[k + 1] as number),
        ms: round(this.entries[k + 2] as number),
      };
      if (error !== undefined) resolution.error = describeError(error);
      list.push(resolution);
    }
    return { resolutions: list, omitted: this.omitted };
  }
}

export const NO_INDEX = 0xffffffff;

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

const round = (ms: number) => Math.round(ms * 1000) / 1000;
