import type { FieldGate } from './field-gates.js';
import type { MergeEntry } from './supergraph-model.js';

/** A step in a path through the merged response data: a response key, or EACH item of a list. */
export const EACH = '@';
export type PathSegment = string;

/** One request to one subgraph. */
export interface FetchNode {
  readonly id: number;
  /** `join__Graph` id of the subgraph. */
  readonly subgraph: string;
  /** The subgraph's own name (`@join__graph(name:)`), for error messages. */
  readonly subgraphName: string;
  readonly kind: 'root' | 'entity';
  /** Entity fetches: where the entity objects are in the merged data. Root fetches: []. */
  readonly path: readonly PathSegment[];
  /** Entity fetches: the concrete entity type. */
  readonly typeName: string;
  /** Entity fetches of a stitched service: its `@merge` entry point; `_entities` when absent. */
  readonly entry?: MergeEntry;
  /** The objects at `path` may be of other types too: pick those whose __typename is typeName. */
  readonly filterByType: boolean;
  /** Entity fetches: the fields that make up a representation (key + @requires). */
  readonly representation: readonly RepresentationField[];
  /** Root: the operation's selection for this subgraph. Entity: the selection inside `... on Type`. */
  readonly selection: string;
  /** Printed definitions of the client variables this fetch sends, e.g. `$first:Int=5`. */
  readonly variableDefinitions: readonly string[];
  readonly variableNames: readonly string[];
  /** Response keys this fetch adds to each target object, for error reporting. */
  readonly keys: readonly string[];
  /** Fetches whose data this one needs (its parent, and those providing @requires fields). */
  readonly dependsOn: readonly FetchNode[];
  /** Root fetches: the complete query text. */
  readonly query: string;
  /** Entity fetches of a gated field: only the objects the gate allows are sent. */
  readonly gate?: PlannedGate;
}

/** A gated field's fetch: its gate, where its value goes, and its arguments for a request. */
export interface PlannedGate {
  readonly gate: FieldGate;
  /** The field's response key on the parent objects (where a denial's error goes). */
  readonly responseKey: string;
  /** The field's arguments, from the request's coerced variables; throws when they do not coerce. */
  readonly args: (variables: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
}

export interface RepresentationField {
  /** The field's name, as the subgraph receives it. */
  name: string;
  /** Where its value is in the merged data (the response key, e.g. an entity key's alias). */
  from: string;
  sub?: readonly RepresentationField[];
}

/**
 * An operation's plan: groups run one after the other (a mutation's root fields, in order); inside a
 * group every fetch starts as soon as the fetches it depends on are done.
 */
export interface Plan {
  readonly operation: 'query' | 'mutation';
  readonly groups: ReadonlyArray<readonly FetchNode[]>;
  /** Which subgraph answers each field, by `positionKey` (for telemetry). */
  readonly owners: ReadonlyMap<string, string>;
  /**
   * The fetch (id) whose selection starts at each field, by `positionKey`: a root field, or a field
   * an entity fetch adds. Such a field waits for that fetch, so telemetry times it by the fetch.
   */
  readonly fetchedBy: ReadonlyMap<string, number>;
}

/** Identifies a field of an operation: data path (EACH for list items), parent type and response key. */
export function positionKey(path: readonly PathSegment[], typeName: string, responseKey: string): string {
  return `${path.join('.')}|${typeName}|${responseKey}`;
}
