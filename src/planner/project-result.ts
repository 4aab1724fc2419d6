import { type GraphQLError, locatedError, type ExecutionResult } from 'graphql';
import type { FieldProjection, ObjectProjection, Projection, Shape } from './compile-projection.js';
import { FIELD_ERRORS } from './merge-data.js';
import type { FetchTiming } from './run-plan.js';

/** A non-null position failed: its nearest nullable ancestor becomes null. */
const BUBBLE = Symbol('bubble');

interface State {
  path: Array<string | number>;
  errors: GraphQLError[];
  counts: Uint32Array;
  errorCounts: Uint32Array;
  timed: Uint32Array;
  ms: Float64Array;
  timings: ReadonlyArray<FetchTiming | undefined>;
  trace: PlannedResolution[] | undefined;
}

/** One field resolution, for detailed telemetry records. */
export interface PlannedResolution {
  /** Index into `projection.coordinates`. */
  counter: number;
  /** Response path, e.g. `topProducts.0.reviews.1.author.name`. */
  path: string;
  /** The subgraph whose answer held the value; "gateway" for what the gateway computed. */
  service: string;
  /** The fetch this field waited for, when it starts a fetch's selection: its start (performance.now()) and duration. */
  timing?: FetchTiming;
  error?: GraphQLError;
}

export interface ProjectedResult extends ExecutionResult {
  /** How many times each field of `projection.coordinates` was resolved. */
  counts: Uint32Array;
  /** How many of those resolutions failed. */
  errorCounts: Uint32Array;
  /** Resolutions timed by the fetch they waited for, and their total milliseconds (fields starting a fetch's selection). */
  timed: Uint32Array;
  ms: Float64Array;
  /** Every resolution in document order, when asked for (`trace`). */
  resolutions?: PlannedResolution[];
}

/**
 * Builds the client's response from the merged data, with graphql-js' completion semantics: aliases,
 * __typename, leaf serialization (the gateway schema is enforced on subgraph data), abstract type
 * resolution by __typename, and null propagation to the nearest nullable position, each error
 * reported once with the path where it arose.
 */
export function projectResult(
  projection: Projection,
  data: Record<string, unknown>,
  { trace = false, timings = [] }: { trace?: boolean; timings?: ReadonlyArray<FetchTiming | undefined> } = {},
): ProjectedResult {
  const n = projection.coordinates.length;
  const state: State = {
    path: [], errors: [], counts: new Uint32Array(n), errorCounts: new Uint32Array(n), timed: new Uint32Array(n), ms: new Float64Array(n),
    timings, trace: trace ? [] : undefined,
  };
  const root = projectObject(projection.root, data, state);
  const { counts, errorCounts, timed, ms } = state;
  const result: ProjectedResult = { data: root === BUBBLE ? null : root, counts, errorCounts, timed, ms };
  if (state.errors.length) result.errors = state.errors;
  if (state.trace) result.resolutions = state.trace;
  return result;
}

function projectObject(projection: ObjectProjection, source: Record<string | symbol, unknown>, state: State): Record<string, unknown> | typeof BUBBLE {
  const out: Record<string, unknown> = {};
  for (const field of projection.fields) {
    if (field.typename) {
      out[field.key] = projection.typeName;
      continue;
    }
    state.path.push(field.key);
    // A field starting a fetch's selection took as long as that fetch, as a resolver delegating to it would.
    const timing = field.fetch >= 0 ? state.timings[field.fetch] : undefined;
    if (timing) {
      state.timed[field.counter]!++;
      state.ms[field.counter]! += timing.ms;
    }
    if (state.trace) state.trace.push({ counter: field.counter, path: state.path.join('.'), service: field.service ?? 'gateway', timing });
    const raw = source[field.key];
    let value: unknown;
    if (raw == null && (source[FIELD_ERRORS] as Map<string, GraphQLError> | undefined)?.has(field.key)) {
      record(state, field, (source[FIELD_ERRORS] as Map<string, GraphQLError>).get(field.key)!);
      value = field.shape.nonNull ? BUBBLE : null;
    } else {
      value = complete(field.shape, raw, field, state);
    }
    state.path.pop();
    state.counts[field.counter]!++;
    if (value === BUBBLE) return BUBBLE;
    out[field.key] = value;
  }
  return out;
}

function complete(shape: Shape, raw: unknown, field: FieldProjection, state: State): unknown {
  if (raw == null) {
    if (!shape.nonNull) return null;
    record(state, field, new Error(`Cannot return null for non-nullable field ${field.parentType}.${field.name}.`));
    return BUBBLE;
  }
  const fail = shape.nonNull ? BUBBLE : null;
  if (shape.list) {
    if (!Array.isArray(raw)) {
      record(state, field, new Error(`Expected Iterable, but did not find one for field "${field.parentType}.${field.name}".`));
      return fail;
    }
    const items = new Array<unknown>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      state.path.push(i);
      const item = complete(shape.list, raw[i], field, state);
      state.path.pop();
      if (item === BUBBLE) return fail;
      items[i] = item;
    }
    return items;
  }
  if (shape.leaf) {
    let serialized: unknown;
    try {
      serialized = shape.leaf.serialize(raw);
    } catch (error) {
      record(state, field, error as Error);
      return fail;
    }
    if (serialized == null) {
      record(state, field, new Error(`Expected \`${shape.leaf.name}.serialize(${JSON.stringify(raw)})\` to return non-nullable value, returned: ${String(serialized)}`));
      return fail;
    }
    return serialized;
  }
  if (typeof raw !== 'object') {
    record(state, field, new Error(`Expected an object for field "${field.parentType}.${field.name}", got ${typeof raw}.`));
    return fail;
  }
  let projection = shape.object;
  if (shape.abstract) {
    const typeName = (raw as { __typename?: unknown }).__typename;
    projection = typeof typeName === 'string' ? shape.abstract.byType.get(typeName) : undefined;
    if (!projection) {
      record(state, field, new Error(`Abstract type "${shape.abstract.name}" must resolve to an Object type at runtime for field "${field.parentType}.${field.name}".`));
      return fail;
    }
  }
  const object = projectObject(projection!, raw as Record<string, unknown>, state);
  return object === BUBBLE ? fail : object;
}

function record(state: State, field: FieldProjection, error: Error): void {
  const located = locatedError(error, field.nodes, [...state.path]);
  state.errors.push(located);
  if (field.counter >= 0) state.errorCounts[field.counter]!++;
  if (state.trace) {
    // The resolution of the field this error belongs to: the last one traced of that field on this path.
    const path = state.path.join('.');
    for (let i = state.trace.length - 1; i >= 0; i--) {
      const entry = state.trace[i]!;
      if (path.startsWith(entry.path) && entry.counter === field.counter) {
        entry.error = located;
        break;
      }
    }
  }
}
