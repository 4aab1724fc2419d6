import { createDefaultExecutor, type SubschemaConfig } from '@graphql-tools/delegate';
import { stitchSchemas, ValidationLevel } from '@graphql-tools/stitch';
import { filterSchema, pruneSchema } from '@graphql-tools/utils';
import { GraphQLSchema, isSpecifiedDirective, type GraphQLSchema as Schema } from 'graphql';
import type { BalancedFetcher } from '../balancing/index.js';
import type { FederationConfig } from '../config/index.js';
import { registeredDirectiveNames, stitching, type ServiceDefinition } from '../registry/index.js';
import { ErrorCode, JunctionError, type Problem } from '../shared/errors.js';
import { createGraphQLExecutor, createRestClient, type UpstreamHeadersSource } from '../transports/index.js';
import { federationPart, publicFederationSchema, type ParsedSupergraph } from './federation/index.js';
import { buildRestSchema } from './rest/build-rest-schema.js';
import type { FastPath } from '../planner/index.js';
import { plannableGraph, type PlannableGraph } from './plannable-graph.js';

export interface BuildGraphOptions {
  /** The registry's services; `kind: federation` ones are composed into a supergraph first. */
  services: readonly ServiceDefinition[];
  /** An already composed supergraph whose subgraphs join the graph (`federation.supergraph`). */
  supergraph?: ParsedSupergraph;
  /** Subgraph endpoints and progressive override labels. */
  federation?: FederationConfig;
  fetcherFor: (service: ServiceDefinition) => BalancedFetcher;
  /** Per-request headers for every upstream call (identity, trace context). */
  upstreamHeaders?: UpstreamHeadersSource;
  /** Identical in-flight GraphQL calls share one request (`execution.dedupeInflight`). @default false */
  dedupeInflight?: boolean;
}

/** A stitched graph: the schema clients query and the services it was built from. */
export interface Graph {
  readonly schema: GraphQLSchema;
  /** Registry services plus, when serving a supergraph file, one per subgraph. */
  readonly services: readonly ServiceDefinition[];
  readonly version: number;
  readonly builtAt: Date;
  /** What the query planner needs to serve this graph (see src/planner). */
  readonly plannable?: PlannableGraph;
  /** Set by the graph manager when the query planner serves this graph. */
  readonly fastPath?: FastPath;
}



let versions = 0;

/**
 * Stitches the registered services into one graph. Nothing is fetched: the registered SDL is the
 * contract, so a service that is down at start-up only fails the fields it owns.
 */
export function buildGraph({ services, supergraph, federation, fetcherFor, upstreamHeaders, dedupeInflight = false }: BuildGraphOptions): Graph {
  const stitchedServices: Array<{ service: ServiceDefinition; restSchema?: GraphQLSchema }> = [];
  const subschemas = services.filter((s) => s.kind !== 'federation').map((service): SubschemaConfig => {
    const fetcher = fetcherFor(service);
    if (service.kind === 'rest') {
      const schema = buildRestSchema(service, createRestClient({ service: service.name, fetcher, headers: upstreamHeaders }));
      stitchedServices.push({ service, restSchema: schema });
      return stitching.stitchingDirectivesTransformer({ name: service.name, schema, executor: createDefaultExecutor(schema) });
    }
    stitchedServices.push({ service });
    return stitching.stitchingDirectivesTransformer({
      name: service.name,
      schema: service.schema,
      executor: createGraphQLExecutor({ service: service.name, fetcher, headers: upstreamHeaders, dedupeInflight }),
      // Root fields requested in the same tick go out as one request.
      batch: true,
    });
  });
  // Federation subgraphs (composed from the registry, or from a supergraph file) join the same graph.
  const federated = federationPart({ services, supergraph, federation, fetcherFor, upstreamHeaders, dedupeInflight });
  let stitched: Schema;
  try {
    stitched = stitchSchemas({
      subschemas: [...subschemas, ...(federated?.subschemas ?? [])],
      typeDefs: federated?.typeDefs,
      typeMergingOptions: federated?.typeMergingOptions ?? { validationSettings: { validationLevel: ValidationLevel.Error } },
      schemaExtensions: federated?.schemaExtensions,
    });
  } catch (error) {
    throw new JunctionError(ErrorCode.COMPOSITION_FAILED, 'The registered services cannot be stitched into one graph', [
      compositionProblem(error as Error, services),
    ]);
  }
  // Federation internals (_entities, join__*, link__*, @tag) and @inaccessible elements never reach clients.
  if (federated) stitched = publicFederationSchema(stitched);
  const allServices = supergraph && federated ? [...services, ...federated.services] : services;
  const plannable = plannableGraph({
    stitched: stitchedServices, federated, schema: stitched, fetcherFor, upstreamHeaders, dedupeInflight,
  });
  return { schema: publicSchema(stitched), services: allServices, version: ++versions, builtAt: new Date(), plannable };
}

/**
 * Hides what only the gateway needs: root fields starting with `_` (merge entry points such as
 * `_usersByIds`) and the registry's directive definitions.
 */
function publicSchema(schema: GraphQLSchema): GraphQLSchema {
  const rootNames = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? [t.name] : [])),
  );
  const filtered = filterSchema({
    schema,
    rootFieldFilter: (_operation, fieldName) => !fieldName.startsWith('_'),
    typeFilter: (typeName) => !typeName.startsWith('_') || rootNames.has(typeName),
  });
  const config = filtered.toConfig();
  const directives = config.directives.filter((d) => isSpecifiedDirective(d) || !registeredDirectiveNames.has(d.name));
  return pruneSchema(new GraphQLSchema({ ...config, directives }));
}

/** Points a stitching error at the schema files that define the types it names. */
function compositionProblem(error: Error, services: readonly ServiceDefinition[]): Problem {
  const typeNames = new Set([...error.message.matchAll(/"([A-Za-z_]\w*)(?:\.\w+)?"/g)].map((m) => m[1]!));
  const files = services.filter((s) => [...typeNames].some((name) => s.schema.getType(name))).map((s) => s.schemaFile);
  return { file: files.length ? files.join(', ') : '(registry)', message: error.message };
}
