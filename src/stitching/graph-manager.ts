import { readdir } from 'node:fs/promises';
import type { GraphQLSchema } from 'graphql';
import type { Upstreams } from '../balancing/index.js';
import type { FederationConfig } from '../config/index.js';
import { loadRegistry, watchRegistry, type RegistryWatcher, type ServiceDefinition } from '../registry/index.js';
import { JunctionError } from '../shared/errors.js';
import type { Logger } from '../telemetry/index.js';
import type { UpstreamHeadersSource } from '../transports/index.js';
import { createFastPath, createProjectionSchema, type FastPath, type FieldGates, type PlanObserver } from '../planner/index.js';
import { buildGraph, type Graph } from './build-graph.js';
import { parseSupergraph, readSupergraphFile, type ParsedSupergraph } from './federation/index.js';
import { createGraphStore, type GraphStore } from './graph-store.js';

export interface GraphManagerOptions {
  registryDir: string;
  upstreams: Upstreams;
  logger: Logger;
  upstreamHeaders?: UpstreamHeadersSource;
  /**
   * Federation settings; `federation.supergraph` names a supergraph file to serve (re-read on change
   * when watching), with the registry then optional.
   */
  federation?: FederationConfig;
  /** A supergraph SDL given in code (embedding, tests); takes the place of `federation.supergraph`. */
  supergraphSdl?: string;
  /** How long replaced fetchers stay open for requests still running on an old graph. */
  drainMs: number;
  /** Serve plannable operations with the query planner (`execution.queryPlanner`). @default false */
  queryPlanner?: boolean;
  /** Identical in-flight GraphQL calls share one request (`execution.dedupeInflight`). @default false */
  dedupeInflight?: boolean;
  /**
   * Transforms for the query planner's projection schema; by default the same as `schemaTransforms`.
   * None is needed when a plugin admits to the planner only operations those transforms cannot change.
   */
  projectionTransforms?: ReadonlyArray<SchemaTransform>;
  /** Told the field usage of every operation the query planner runs (telemetry). */
  planObserver?: PlanObserver;
  /**
   * The query planner's gates, from the client schema (after `schemaTransforms`): fields it fetches
   * only for the objects a check allows, e.g. authorization's plannerGates. @default none
   */
  planGates?: (schema: GraphQLSchema) => FieldGates | undefined;
  /**
   * Applied, in order, to every newly built schema before it is swapped in (e.g. authorization
   * wrapping resolvers). Each receives the schema fresh from stitching, so nothing is wrapped twice.
   * A transform with nothing to do must return the schema it was given (the query planner then keeps
   * its compiled projection).
   */
  schemaTransforms?: ReadonlyArray<SchemaTransform>;
}

export type SchemaTransform = (schema: GraphQLSchema, services: readonly ServiceDefinition[]) => GraphQLSchema;

export type ReloadResult = { ok: true; graph: Graph } | { ok: false; error: Error };

export interface GraphManager extends AsyncDisposable {
  readonly store: GraphStore;
  /** Builds the first graph; throws when the registry is invalid (the gateway must not start). */
  start(): Promise<Graph>;
  /** Rebuilds from the registry; on failure the current graph stays and the error is returned. */
  reload(): Promise<ReloadResult>;
  /** Reloads on every change under the registry. */
  watch(debounceMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Loads the registry into a graph, and keeps it current as teams edit their registrations. */
export function createGraphManager(options: GraphManagerOptions): GraphManager {
  const { registryDir, upstreams, logger, upstreamHeaders, drainMs, federation } = options;
  const supergraphFile = options.supergraphSdl === undefined ? federation?.supergraph : undefined;
  const store = createGraphStore();
  const watchers: RegistryWatcher[] = [];
  let running: Promise<ReloadResult> | undefined;
  let again = false;

  async function build(): Promise<Graph> {
    const supergraph = await loadSupergraph();
    // Serving a supergraph, the registry is optional: its services join the graph when it has any.
    const services = supergraph && !(await hasServiceFolders(registryDir)) ? [] : await loadRegistry(registryDir);
    const built = buildGraph({ services, supergraph, federation, fetcherFor: (s) => upstreams.fetcherFor(s), upstreamHeaders, dedupeInflight: options.dedupeInflight });
    const transforms = options.schemaTransforms ?? [];
    const schema = transforms.reduce((current, transform) => transform(current, built.services), built.schema);
    const graph: Graph = { ...built, schema, fastPath: fastPathFor(built, transforms, schema) };
    store.swap(graph);
    upstreams.retainOnly(built.services, drainMs);
    return graph;
  }

  /**
   * The query planner for all-federation graphs. Its projection schema gets the same transforms as
   * the client schema (e.g. authorization wrapping resolvers), applied to lookups instead of delegation.
   */
  function fastPathFor(built: Graph, transforms: readonly SchemaTransform[], schema: GraphQLSchema): FastPath | undefined {
    if (!built.plannable || !options.queryPlanner) return undefined;
    const lookups = createProjectionSchema(built.schema);
    const projectionSchema = (options.projectionTransforms ?? transforms).reduce((current, transform) => transform(current, built.services), lookups);
    const fastPath = createFastPath({
      model: built.plannable.model,
      apiSchema: built.schema,
      projectionSchema,
      // A transform that wrapped resolvers only runs when graphql-js projects the answer; one with
      // nothing to do returns the schema it was given.
      compiledProjection: projectionSchema === lookups,
      send: built.plannable.send,
      observer: options.planObserver,
      gates: options.planGates?.(schema),
      onPlanningError: (error, operation) => logger.warn({ err: error, operation }, 'query planner failed on an operation; graphql-tools serves it'),
    });
    if (fastPath.disabledBecause) logger.info({ reason: fastPath.disabledBecause }, 'query planner off for this graph; using the general engine');
    return fastPath.disabledBecause ? undefined : fastPath;
  }

  async function loadSupergraph(): Promise<ParsedSupergraph | undefined> {
    if (options.supergraphSdl !== undefined) return parseSupergraph(options.supergraphSdl, '(supergraph SDL option)');
    return supergraphFile ? readSupergraphFile(supergraphFile) : undefined;
  }

  async function reloadOnce(): Promise<ReloadResult> {
    try {
      const graph = await build();
      logger.info({ version: graph.version, services: graph.services.map((s) => s.name) }, 'graph reloaded');
      return { ok: true, graph };
    } catch (error) {
      const problems = error instanceof JunctionError ? error.problems : undefined;
      logger.error({ err: error, problems }, 'registry change rejected; still serving the last good graph');
      return { ok: false, error: error as Error };
    }
  }

  /** One rebuild at a time; changes during a rebuild trigger exactly one more. */
  function reload(): Promise<ReloadResult> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let result: ReloadResult;
      do {
        again = false;
        result = await reloadOnce();
      } while (again);
      running = undefined;
      return result;
    })();
    return running;
  }

  const close = async () => {
    await Promise.all(watchers.map((w) => w.close()));
    await running;
  };
  return {
    store,
    start: build,
    reload,
    async watch(debounceMs) {
      const paths = [...(supergraphFile ? [supergraphFile] : []), ...(!supergraphFile || (await hasServiceFolders(registryDir)) ? [registryDir] : [])];
      for (const dir of paths) watchers.push(watchRegistry({ dir, debounceMs, onChange: () => void reload() }));
      await Promise.all(watchers.map((w) => w.ready));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function hasServiceFolders(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir, { withFileTypes: true })).some((e) => e.isDirectory() && !e.name.startsWith('.'));
  } catch {
    return false;
  }
}
