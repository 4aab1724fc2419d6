import type { GraphQLSchema } from 'graphql';
import type { Graph } from './build-graph.js';

export interface GraphStore {
  /** The graph new requests run on; undefined until the first successful build. */
  current(): Graph | undefined;
  /** Makes `graph` the current one. Requests already running keep the graph they started with. */
  swap(graph: Graph): void;
  /** The graph a schema belongs to (a request keeps the schema it started with). */
  graphFor(schema: GraphQLSchema): Graph | undefined;
  /** Called after every swap, with the new and the previous graph. */
  onSwap(listener: (graph: Graph, previous: Graph | undefined) => void): () => void;
}

/** Holds the live graph. A failed rebuild never reaches the store, so the last good graph stays. */
export function createGraphStore(): GraphStore {
  let graph: Graph | undefined;
  const bySchema = new WeakMap<GraphQLSchema, Graph>();
  const listeners = new Set<(graph: Graph, previous: Graph | undefined) => void>();
  return {
    current: () => graph,
    swap(next) {
      const previous = graph;
      graph = next;
      bySchema.set(next.schema, next);
      for (const listener of listeners) listener(next, previous);
    },
    graphFor: (schema) => bySchema.get(schema),
    onSwap(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
