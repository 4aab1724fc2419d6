import type { SubschemaConfig } from '@graphql-tools/delegate';
import { getStitchingOptionsFromSupergraphSdl } from '@graphql-tools/federation';
import { getDefaultFieldConfigMerger, ValidationLevel, type MergeFieldConfigCandidate } from '@graphql-tools/stitch';
import { Kind, type DocumentNode, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import type { BalancedFetcher } from '../../balancing/index.js';
import type { ServiceDefinition } from '../../registry/index.js';
import { createGraphQLExecutor, type UpstreamHeadersSource } from '../../transports/index.js';
import { guardEntities } from './guard-entities.js';
import type { ParsedSupergraph, SupergraphSubgraph } from './parse-supergraph.js';
import { STITCHED_SUBGRAPH } from './stitched-subgraph.js';

export interface FederationSubschemasOptions {
  supergraph: ParsedSupergraph;
  /** The service behind a subgraph: a registry service, or one made from the supergraph file and config. */
  serviceFor: (subgraph: SupergraphSubgraph, subgraphSchema: GraphQLSchema) => ServiceDefinition;
  fetcherFor: (service: ServiceDefinition) => BalancedFetcher;
  upstreamHeaders?: UpstreamHeadersSource;
  /** Progressive `@override` labels switched on (`percent(N)` labels need none). */
  overrideLabels?: readonly string[];
  /** Identical subgraph queries in flight together share one call (see GraphQLExecutorOptions). */
  dedupeInflight?: boolean;
}

/** What a supergraph adds to the stitched graph: subschemas, type definitions and merging rules. */
export interface FederationSubschemas {
  /** The supergraph these subschemas come from. */
  supergraph: ParsedSupergraph;
  subschemas: SubschemaConfig[];
  /** Supergraph definitions no subschema carries (e.g. composed directives). */
  typeDefs: DocumentNode;
  /** The services behind the subgraphs, one per subgraph. */
  services: ServiceDefinition[];
  /** Type merging options for stitchSchemas, covering the stitched services' types as before. */
  typeMergingOptions: {
    fieldConfigMerger: (candidates: Array<MergeFieldConfigCandidate<Record<string, unknown>>>) => GraphQLFieldConfig<unknown, Record<string, unknown>>;
    validationSettings: { validationLevel: ValidationLevel };
    validationScopes: Record<string, { validationLevel: ValidationLevel }>;
  };
  schemaExtensions: ReturnType<typeof getStitchingOptionsFromSupergraphSdl>['schemaExtensions'];
}

/**
 * Turns a supergraph into stitching subschemas with @graphql-tools/federation, each subgraph called
 * through its service's balanced fetcher by our own executor (never executor-http: its in-flight
 * de-duplication ignores per-user headers) and its `_entities` answers checked.
 */
export function federationSubschemas(options: FederationSubschemasOptions): FederationSubschemas {
  const { supergraph, serviceFor, fetcherFor, upstreamHeaders } = options;
  const subgraphByEnum = new Map(supergraph.subgraphs.map((s) => [s.enumValue, s]));
  const services = new Map<string, ServiceDefinition>();
  const executors = new Map<string, SubschemaConfig['executor']>();
  const activeLabels = new Set(options.overrideLabels ?? []);
  const stitching = getStitchingOptionsFromSupergraphSdl({
    supergraphSdl: supergraph.document,
    // Root fields and entity fetches for one subgraph in the same tick share one HTTP request.
    batch: true,
    handleProgressiveOverride: (label) => activeLabels.has(label),
    onSubschemaConfig(config) {
      const subgraph = subgraphByEnum.get(config.name);
      if (!subgraph || subgraph.name === STITCHED_SUBGRAPH) return;
      let executor = executors.get(subgraph.name);
      if (!executor) {
        const service = serviceFor(subgraph, config.schema);
        services.set(subgraph.name, service);
        const base = createGraphQLExecutor({ service: service.name, fetcher: fetcherFor(service), headers: upstreamHeaders, dedupeInflight: options.dedupeInflight });
        executor = guardEntities(base, { service: service.name, schema: config.schema });
        executors.set(subgraph.name, executor);
      }
      config.executor = executor;
      config.name = subgraph.name;
    },
  });
  // The stitched services stand for themselves: their stand-in subgraph only served composition.
  const subschemas = stitching.subschemas.filter((s) => s.name !== STITCHED_SUBGRAPH && s.name !== stitchedEnumValue(supergraph));
  const federationConfigs = new Set<unknown>(subschemas);
  const federationMerger = stitching.typeMergingOptions.fieldConfigMerger;
  const defaultMerger = getDefaultFieldConfigMerger();
  return {
    supergraph,
    subschemas,
    typeDefs: stitching.typeDefs,
    services: [...services.values()],
    typeMergingOptions: {
      // Fields only subgraphs define merge the federation way (shareable root fields, @override);
      // a field a stitched service also defines merges the stitching way (@canonical).
      fieldConfigMerger: (candidates) =>
        candidates.every((c) => federationConfigs.has(c.subschema)) ? federationMerger(candidates as never) : defaultMerger(candidates),
      validationSettings: { validationLevel: ValidationLevel.Error },
      // Composition has validated the supergraph's types; stitching's checks stay on for the rest.
      validationScopes: Object.fromEntries(supergraphNamespaces(supergraph.document).map((ns) => [ns, { validationLevel: ValidationLevel.Off }])),
    },
    schemaExtensions: stitching.schemaExtensions,
  };
}

function stitchedEnumValue(supergraph: ParsedSupergraph): string | undefined {
  return supergraph.subgraphs.find((s) => s.name === STITCHED_SUBGRAPH)?.enumValue;
}

/** `Type`, `Type.field` and `Type.field.arg` for every type of the supergraph: stitching's validation scope keys. */
function supergraphNamespaces(document: DocumentNode): string[] {
  const namespaces: string[] = [];
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const type = definition.name.value;
    namespaces.push(type);
    for (const field of 'fields' in definition ? (definition.fields ?? []) : []) {
      namespaces.push(`${type}.${field.name.value}`);
      for (const arg of 'arguments' in field ? (field.arguments ?? []) : []) namespaces.push(`${type}.${field.name.value}.${arg.name.value}`);
    }
  }
  return namespaces;
}
