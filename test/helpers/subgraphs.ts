import { buildSubgraphSchema } from '@apollo/subgraph';
import type { IResolvers } from '@graphql-tools/utils';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { execute, parse, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { createBalancedFetcher } from '../../src/balancing/index.js';
import { createPlanExecutor, createProjectionSchema, createQueryPlanner, readSupergraph } from '../../src/planner/index.js';
import { createGraphQLRequester } from '../../src/transports/index.js';
import { startMockServer, type RequestHandler, type RunningMock } from '../../services-mock/mock-server.js';

export interface SubgraphSpec {
  typeDefs: string;
  resolvers?: IResolvers;
  /** A hand-rolled server instead of yoga (e.g. one that answers malformed results). */
  handler?: RequestHandler;
}

export const FED_LINK = (imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports.map((i) => `"${i}"`).join(', ')}])`;

export interface RunningSupergraph extends AsyncDisposable {
  subgraphs: Record<string, RunningMock>;
  supergraphSdl: string;
  /** graphql-tools' federation execution: the reference the fast path must agree with. */
  reference: GraphQLSchema;
  /** Runs a query through the reference engine. */
  viaReference(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  /** Runs a query through the query planner. */
  viaPlanner(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  /** Requests each subgraph received since the last reset. */
  calls(): Record<string, number>;
  resetCalls(): void;
  /** What each subgraph received, in order (query texts). */
  received: Record<string, string[]>;
}

/** Real subgraphs (yoga + @apollo/subgraph) on port 0, composed into a supergraph. */
export async function startSupergraph(specs: Record<string, SubgraphSpec>): Promise<RunningSupergraph> {
  const received: Record<string, string[]> = {};
  const subgraphs: Record<string, RunningMock> = {};
  for (const [name, spec] of Object.entries(specs)) {
    received[name] = [];
    if (spec.handler) {
      subgraphs[name] = await startMockServer(name, spec.handler);
      continue;
    }
    const schema = buildSubgraphSchema({ typeDefs: parse(spec.typeDefs), resolvers: spec.resolvers as never });
    const yoga = createYoga({
      schema,
      logging: false,
      graphiql: false,
      plugins: [{ onParams: ({ params }: { params: { query?: string } }) => void received[name]!.push(params.query ?? '') }],
    });
    subgraphs[name] = await startMockServer(name, (req, res) => yoga(req, res));
  }
  const composed = composeServices(Object.entries(specs).map(([name, spec]) => ({ name, typeDefs: parse(spec.typeDefs), url: `${subgraphs[name]!.url}/graphql` })));
  if (compositionHasErrors(composed)) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const supergraphSdl = composed.supergraphSdl;
  const reference = getStitchedSchemaFromSupergraphSdl({ supergraphSdl, batch: true });
  const model = readSupergraph(supergraphSdl);
  const fetchers = [...model.subgraphs.values()].map((s) => createBalancedFetcher({ service: s.name, endpoints: [{ url: s.url, weight: 1, region: 'default' }], timeoutMs: 5_000 }));
  const requesters = new Map([...model.subgraphs.values()].map((s, i) => [s.id, createGraphQLRequester({ service: s.name, fetcher: fetchers[i]! })]));
  const executePlan = createPlanExecutor({ planner: createQueryPlanner(model, reference), schema: createProjectionSchema(reference), send: (g, q, v, c) => requesters.get(g)!(q, v, c) });
  const run = async (engine: 'reference' | 'planner', query: string, variables?: Record<string, unknown>) => {
    const document = parse(query);
    const errors = validate(reference, document);
    if (errors.length) return { errors };
    const args = { schema: reference, document, variableValues: variables, contextValue: {} };
    const result = engine === 'reference' ? await execute(args) : await executePlan(args);
    return JSON.parse(JSON.stringify(result)) as ExecutionResult;
  };
  return {
    subgraphs,
    supergraphSdl,
    reference,
    received,
    viaReference: (query, variables) => run('reference', query, variables),
    viaPlanner: (query, variables) => run('planner', query, variables),
    calls: () => Object.fromEntries(Object.entries(subgraphs).map(([n, s]) => [n, s.stats().requests])),
    resetCalls: () => {
      for (const [name, s] of Object.entries(subgraphs)) {
        s.resetStats();
        received[name] = [];
      }
    },
    [Symbol.asyncDispose]: async () => {
      await Promise.all(fetchers.map((f) => f.close()));
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
    },
  };
}
