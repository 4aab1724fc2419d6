import { Kind, type ConstDirectiveNode, type GraphQLSchema } from 'graphql';
import { getDocumentNodeFromSchema, printSchemaWithDirectives } from '@graphql-tools/utils';
import type { BalancedFetcher } from '../../balancing/index.js';
import type { FederationConfig } from '../../config/index.js';
import { balancingManifestSchema, type ServiceDefinition } from '../../registry/index.js';
import { ErrorCode, JunctionError, type Problem } from '../../shared/errors.js';
import type { UpstreamHeadersSource } from '../../transports/index.js';
import { composeSubgraphs } from './compose-subgraphs.js';
import { federationSubschemas, type FederationSubschemas } from './federation-subschemas.js';
import { parseSupergraph, type ParsedSupergraph, type SupergraphSubgraph } from './parse-supergraph.js';
import { STITCHED_SUBGRAPH } from './stitched-subgraph.js';

export interface FederationPartOptions {
  /** Every registry service; those of `kind: federation` are composed into a supergraph. */
  services: readonly ServiceDefinition[];
  /** An already composed supergraph (file or SDL) to serve instead. */
  supergraph?: ParsedSupergraph;
  federation?: FederationConfig;
  fetcherFor: (service: ServiceDefinition) => BalancedFetcher;
  upstreamHeaders?: UpstreamHeadersSource;
  /** See `execution.dedupeInflight`. */
  dedupeInflight: boolean;
}

/**
 * The federation side of the graph, from the registry's federation subgraphs or from a supergraph
 * file; undefined when there is neither. Throws JunctionError with every problem found.
 */
export function federationPart(options: FederationPartOptions): FederationSubschemas | undefined {
  const { services, federation } = options;
  const registered = services.filter((s) => s.kind === 'federation');
  const stitched = services.filter((s) => s.kind !== 'federation');
  if (registered.length && options.supergraph) {
    throw new JunctionError(ErrorCode.CONFIG_INVALID, 'Serve either a supergraph file or kind: federation services, not both', [
      { file: options.supergraph.source, message: `the registry also has federation services (${registered.map((s) => s.name).join(', ')}): compose them into the supergraph, or drop the supergraph` },
    ]);
  }
  let supergraph = options.supergraph;
  let serviceFor: (subgraph: SupergraphSubgraph, schema: GraphQLSchema) => ServiceDefinition;
  if (registered.length) {
    supergraph = parseSupergraph(composeSubgraphs(registered, stitched), '(composed from the registry)');
    const byName = new Map(registered.map((s) => [s.name, s]));
    serviceFor = (subgraph) => byName.get(subgraph.name)!;
  } else if (supergraph) {
    checkSubgraphConfig(supergraph, stitched, federation);
    const file = supergraph.source;
    serviceFor = (subgraph, schema) => supergraphService(subgraph, schema, file, federation);
  } else {
    return undefined;
  }
  const conflicts = rootFieldConflicts(supergraph, stitched);
  if (conflicts.length) throw new JunctionError(ErrorCode.COMPOSITION_FAILED, 'Federation subgraphs and stitched services define the same root fields', conflicts);
  return federationSubschemas({
    supergraph,
    serviceFor,
    fetcherFor: options.fetcherFor,
    upstreamHeaders: options.upstreamHeaders,
    overrideLabels: federation?.overrideLabels,
    dedupeInflight: options.dedupeInflight,
  });
}

/** A subgraph of a supergraph file as a service: its URL (or the configured replicas), balanced like any other. */
function supergraphService(subgraph: SupergraphSubgraph, schema: GraphQLSchema, file: string, federation?: FederationConfig): ServiceDefinition {
  const override = federation?.subgraphs[subgraph.name];
  return {
    name: subgraph.name,
    kind: 'federation',
    description: `Subgraph of ${file}`,
    endpoints: (override?.endpoints ?? [{ url: subgraph.url!, weight: 1, region: 'default' }]).map((e) => ({ ...e, subsets: [] })),
    timeoutMs: override?.timeoutMs ?? federation?.timeoutMs ?? 5000,
    // The balancing defaults of any service (weighted, passive ejection, retries for queries).
    balancing: balancingManifestSchema.parse({}),
    manifestFile: file,
    schemaFile: file,
    typeDefs: getDocumentNodeFromSchema(schema),
    schema,
    // A snapshot of the subgraph's directives (e.g. @authenticated) before stitching merges into its AST.
    sdl: printSchemaWithDirectives(schema),
  };
}

function checkSubgraphConfig(supergraph: ParsedSupergraph, stitched: readonly ServiceDefinition[], federation?: FederationConfig): void {
  const problems: Problem[] = [];
  const names = new Set(supergraph.subgraphs.map((s) => s.name));
  for (const name of Object.keys(federation?.subgraphs ?? {})) {
    if (!names.has(name)) problems.push({ file: '(config)', message: `federation.subgraphs.${name}: the supergraph has no subgraph "${name}" (it has: ${[...names].join(', ')})` });
  }
  for (const subgraph of supergraph.subgraphs) {
    const configured = federation?.subgraphs[subgraph.name]?.endpoints;
    if (!configured) {
      try {
        if (!/^https?:$/.test(new URL(subgraph.url ?? '').protocol)) throw new Error('not http');
      } catch {
        problems.push({ file: supergraph.source, message: `subgraph "${subgraph.name}" has no usable http(s) URL in the supergraph: set federation.subgraphs.${subgraph.name}.endpoints` });
      }
    }
    const clash = stitched.find((s) => s.name === subgraph.name);
    if (clash) problems.push({ file: clash.manifestFile, message: `service name "${subgraph.name}" is also a subgraph of the supergraph ${supergraph.source}` });
  }
  if (problems.length) throw new JunctionError(ErrorCode.SUPERGRAPH_INVALID, `Cannot serve supergraph ${supergraph.source}`, problems);
}

/** A root field both worlds define would be answered by only one of them: refuse it, naming both. */
function rootFieldConflicts(supergraph: ParsedSupergraph, stitched: readonly ServiceDefinition[]): Problem[] {
  const problems: Problem[] = [];
  for (const definition of supergraph.document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !['Query', 'Mutation', 'Subscription'].includes(definition.name.value)) continue;
    const operation = definition.name.value;
    for (const field of definition.fields ?? []) {
      if (field.name.value.startsWith('_')) continue;
      for (const service of stitched) {
        const root = operation === 'Query' ? service.schema.getQueryType() : operation === 'Mutation' ? service.schema.getMutationType() : service.schema.getSubscriptionType();
        if (!root?.getFields()[field.name.value]) continue;
        // A field without @join__field is resolved by every subgraph defining its type (@join__type).
        const owners = joinGraphs(field.directives?.some((d) => d.name.value === 'join__field') ? field.directives : definition.directives ?? [], supergraph);
        problems.push({ file: service.schemaFile, message: `${operation}.${field.name.value} is defined by service "${service.name}" and by federation subgraph ${owners}` });
      }
    }
  }
  return problems;
}

/** Names of the subgraphs a supergraph field is resolved by (its `@join__field(graph:)`s). */
function joinGraphs(directives: readonly ConstDirectiveNode[], supergraph: ParsedSupergraph): string {
  const enumValues = directives.flatMap((d) => {
    const graph = d.name.value === 'join__field' || d.name.value === 'join__type' ? d.arguments?.find((a) => a.name.value === 'graph')?.value : undefined;
    return graph?.kind === Kind.ENUM ? [graph.value] : [];
  });
  const names = supergraph.subgraphs.filter((s) => enumValues.includes(s.enumValue) && s.name !== STITCHED_SUBGRAPH).map((s) => `"${s.name}"`);
  return names.length ? names.join(', ') : `of ${supergraph.source}`;
}
