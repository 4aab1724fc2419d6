import { execute, GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { BalancedFetcher } from '../balancing/index.js';
import { mergeModels, readStitchedServices, readSupergraph, type SubgraphRequest, type SupergraphModel } from '../planner/index.js';
import type { ServiceDefinition } from '../registry/index.js';
import { createGraphQLRequester, type GraphQLRequester, type UpstreamHeadersSource } from '../transports/index.js';
import { STITCHED_SUBGRAPH, type FederationSubschemas } from './federation/index.js';

/** What the query planner needs to serve a graph: the model of who resolves what, and how to reach each one. */
export interface PlannableGraph {
  model: SupergraphModel;
  send: SubgraphRequest;
}

export interface PlannableGraphOptions {
  /** The stitched (non-federation) services, with the executable schema of each REST service. */
  stitched: ReadonlyArray<{ service: ServiceDefinition; restSchema?: GraphQLSchema }>;
  federated?: FederationSubschemas;
  /** The merged gateway schema, before internal root fields are hidden: type relations. */
  schema: GraphQLSchema;
  fetcherFor: (service: ServiceDefinition) => BalancedFetcher;
  upstreamHeaders?: UpstreamHeadersSource;
  /** Share identical in-flight calls between clients (never across users or routes). */
  dedupeInflight: boolean;
}

/**
 * The planner's view of the whole graph: federation subgraphs as the supergraph describes them,
 * stitched services as their registered SDL does (keys and @merge entry points), REST services
 * executed in-process on their @http schema. Subgraph ids: join__Graph values and service names.
 */
export function plannableGraph({ stitched, federated, schema, fetcherFor, upstreamHeaders, dedupeInflight }: PlannableGraphOptions): PlannableGraph {
  const models: SupergraphModel[] = [];
  const senders = new Map<string, SubgraphRequest>();
  const requester = (service: ServiceDefinition): GraphQLRequester =>
    createGraphQLRequester({ service: service.name, fetcher: fetcherFor(service), headers: upstreamHeaders, dedupeInflight });

  const standIn = new Set<string>();
  if (federated) {
    models.push(readSupergraph(federated.supergraph.sdl));
    const byName = new Map(federated.services.map((s) => [s.name, s]));
    for (const subgraph of federated.supergraph.subgraphs) {
      if (subgraph.name === STITCHED_SUBGRAPH) standIn.add(subgraph.enumValue);
      const service = byName.get(subgraph.name);
      if (service) {
        const send = requester(service);
        senders.set(subgraph.enumValue, (_id, query, variables, context) => send(query, variables, context));
      }
    }
  }
  if (stitched.length) {
    models.push(readStitchedServices(stitched.map(({ service }) => ({ id: service.name, schema: service.schema })), schema));
    for (const { service, restSchema } of stitched) {
      if (restSchema) {
        senders.set(service.name, localExecutor(restSchema));
      } else {
        const send = requester(service);
        senders.set(service.name, (_id, query, variables, context) => send(query, variables, context));
      }
    }
  }
  return {
    model: models.length === 1 && standIn.size === 0 ? models[0]! : mergeModels(schema, models, standIn),
    send: (subgraph, query, variables, context) => {
      const send = senders.get(subgraph);
      return send ? send(subgraph, query, variables, context) : Promise.resolve({ errors: [new GraphQLError(`Unknown subgraph ${subgraph}`)] });
    },
  };
}

/** REST services run in the gateway: their @http resolvers make the HTTP calls. */
function localExecutor(schema: GraphQLSchema): SubgraphRequest {
  // Plans print a bounded set of queries; parse each once.
  const documents = new Map<string, DocumentNode>();
  return async (_id, query, variables, context) => {
    let document = documents.get(query);
    if (!document) {
      if (documents.size > 1000) documents.clear();
      documents.set(query, (document = parse(query)));
    }
    return execute({ schema, document, variableValues: variables, contextValue: context });
  };
}
