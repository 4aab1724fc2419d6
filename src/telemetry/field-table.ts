import { defaultMergedResolver } from '@graphql-tools/delegate';
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { FieldTotals } from './metrics.js';

/** A schema's object fields, numbered: counters per operation are typed arrays indexed by these numbers. */
export interface FieldTable {
  readonly schema: GraphQLSchema;
  /** `Type.field` per index. */
  readonly coordinates: readonly string[];
  readonly parentTypes: readonly string[];
  readonly fieldNames: readonly string[];
  /** The service that owns a field when only one defines it (root fields, single-owner fields). */
  readonly owners: ReadonlyArray<string | undefined>;
  readonly index: ReadonlyMap<string, number>;
  /** Metrics totals per index (shared objects, updated once per operation). */
  readonly totals: readonly FieldTotals[];
}

/** What a field resolver hands to the collector of the running operation: a timed resolution. */
export type ResolutionSink = (index: number, started: number, info: { path: unknown }, source: unknown, error: unknown) => void;
/** An untimed resolution: a value read synchronously from the parent object. */
export type CountSink = (index: number, info: { path: unknown }, source: unknown, error: unknown) => void;

/** Where a wrapped resolver finds the collector of its operation: a symbol-keyed context field owned by telemetry. */
export const COLLECTOR = Symbol.for('junction.telemetry.collector');

export interface CollectorHandle {
  readonly table: FieldTable;
  readonly done: ResolutionSink;
  readonly counted: CountSink;
}

const ORIGINAL = Symbol('junction.telemetry.original');
type Wrapped = GraphQLFieldResolver<unknown, unknown> & { [ORIGINAL]?: GraphQLFieldResolver<unknown, unknown> };

export interface FieldTableOptions {
  /** Service names by the object fields their registered SDL defines, for owner attribution. */
  definedBy?: (typeName: string, fieldName: string) => readonly string[];
  totalsFor: (coordinate: string) => FieldTotals;
}

/**
 * Numbers every field of every object type and wraps its resolver (in place, once per field: a field
 * wrapped for an earlier table is re-wrapped around its original). Without a collector the wrapper
 * costs a property read; with one it allocates nothing for synchronous resolvers.
 */
export function instrumentSchema(schema: GraphQLSchema, options: FieldTableOptions): FieldTable {
  const coordinates: string[] = [];
  const parentTypes: string[] = [];
  const fieldNames: string[] = [];
  const owners: Array<string | undefined> = [];
  const totals: FieldTotals[] = [];
  const index = new Map<string, number>();
  const table: FieldTable = { schema, coordinates, parentTypes, fieldNames, owners, index, totals };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const i = coordinates.length;
      const coordinate = `${type.name}.${field.name}`;
      coordinates.push(coordinate);
      parentTypes.push(type.name);
      fieldNames.push(field.name);
      const definers = options.definedBy?.(type.name, field.name) ?? [];
      owners.push(definers.length === 1 ? definers[0] : undefined);
      totals.push(options.totalsFor(coordinate));
      index.set(coordinate, i);
      const current = (field.resolve ?? defaultFieldResolver) as Wrapped;
      const original = current[ORIGINAL] ?? current;
      field.resolve = PROPERTY_READERS.has(original) ? wrapPropertyReader(original, i, table) : wrapResolver(original, i, table);
    }
  }
  return table;
}

// Resolvers that read the value from the parent object (the bulk of a response): a clock read costs
// more than they do, so they are counted, and timed only when they return a promise (a merge fetch).
const PROPERTY_READERS = new Set<GraphQLFieldResolver<unknown, unknown>>([defaultFieldResolver, defaultMergedResolver as GraphQLFieldResolver<unknown, unknown>]);

function wrapPropertyReader(resolve: GraphQLFieldResolver<unknown, unknown>, i: number, table: FieldTable): Wrapped {
  const wrapped: Wrapped = (source, args, context, info) => {
    const collector = (context as { [COLLECTOR]?: CollectorHandle } | null)?.[COLLECTOR];
    if (collector === undefined || collector.table !== table) return resolve(source, args, context, info);
    let result: unknown;
    try {
      result = resolve(source, args, context, info);
    } catch (error) {
      collector.counted(i, info, source, error);
      throw error;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') return timed(result as Promise<unknown>, collector, i, performance.now(), info, source);
    collector.counted(i, info, source, result instanceof Error ? result : undefined);
    return result;
  };
  wrapped[ORIGINAL] = resolve;
  return wrapped;
}

function timed(result: Promise<unknown>, collector: CollectorHandle, i: number, started: number, info: { path: unknown }, source: unknown): Promise<unknown> {
  return result.then(
    (value) => {
      collector.done(i, started, info, source, value instanceof Error ? value : undefined);
      return value;
    },
    (error: unknown) => {
      collector.done(i, started, info, source, error);
      throw error;
    },
  );
}

function wrapResolver(resolve: GraphQLFieldResolver<unknown, unknown>, i: number, table: FieldTable): Wrapped {
  const wrapped: Wrapped = (source, args, context, info) => {
    const collector = (context as { [COLLECTOR]?: CollectorHandle } | null)?.[COLLECTOR];
    if (collector === undefined || collector.table !== table) return resolve(source, args, context, info);
    const started = performance.now();
    let result: unknown;
    try {
      result = resolve(source, args, context, info);
    } catch (error) {
      collector.done(i, started, info, source, error);
      throw error;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') return timed(result as Promise<unknown>, collector, i, started, info, source);
    collector.done(i, started, info, source, result instanceof Error ? result : undefined);
    return result;
  };
  wrapped[ORIGINAL] = resolve;
  return wrapped;
}
