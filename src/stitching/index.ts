export { buildGraph, type BuildGraphOptions, type Graph } from './build-graph.js';
export { createGraphStore, type GraphStore } from './graph-store.js';
export { createGraphManager, type GraphManager, type GraphManagerOptions, type ReloadResult, type SchemaTransform } from './graph-manager.js';
