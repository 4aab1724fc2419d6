import type { Graph } from './build-graph.js';

export interface GraphStore {
  /** The graph new requests run on; undefined until the first successful build. */
  current(): Graph | undefined;
  /** Makes `graph` the current one. Requests already running keep the graph they started with. */
  swap(graph: Graph): void;
  /** Called after every swap, with the new and the previous graph. */
  onSwap(listener: (graph: Graph, previous: Graph | undefined) => void): () => void;
}

/** Holds the live graph. A failed rebuild never reaches the store, so the last good graph stays. */
export function createGraphStore(): GraphStore {
  let graph: Graph | undefined;
  const listeners = new Set<(graph: Graph, previous: Graph | undefined) => void>();
  return {
    current: () => graph,
    swap(next) {
      const previous = graph;
      graph = next;
      for (const listener of listeners) listener(next, previous);
    },
    onSwap(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
