import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway } from '../../../src/index.js';
import { createLogger } from '../../../src/telemetry/index.js';
import type { EngineId, SuiteGatewayOptions } from './suite.js';

/** A gateway serving a supergraph: what the federation suites run against. */
export interface FederationEngine {
  id: EngineId;
  name: string;
  start(input: { supergraphSdl: string; options?: SuiteGatewayOptions }): Promise<EngineInstance>;
}

export interface EngineInstance extends AsyncDisposable {
  /** POSTs a GraphQL request the way a client would; returns status and parsed body. */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/** Junction, in-process through its fetch entry point, with its query planner on or off. */
function junction(queryPlanner: boolean): FederationEngine {
  return {
    id: queryPlanner ? 'query planner' : 'graphql-tools',
    name: queryPlanner ? 'junction (query planner)' : 'junction (graphql-tools)',
    async start({ supergraphSdl, options }) {
      // An empty registry: the suite's subgraphs are the whole graph.
      const registry = await mkdtemp(join(tmpdir(), 'junction-fed-'));
      const gateway = await createGateway({
        supergraphSdl,
        logger: createLogger({ level: 'silent' }),
        config: { registry, reload: { enabled: false }, federation: { overrideLabels: options?.overrideLabels ?? [] }, execution: { queryPlanner } },
      });
      return {
        async query(query, variables, headers = {}) {
          const response = await gateway.fetch('http://gateway.test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
            body: JSON.stringify({ query, variables }),
          });
          return { status: response.status, body: await response.json() };
        },
        [Symbol.asyncDispose]: async () => {
          await gateway.close();
          await rm(registry, { recursive: true, force: true });
        },
      };
    },
  };
}

/** The default: operations the query planner can plan run on it, the others on graphql-tools. */
export const junctionEngine = junction(true);
/** Everything through @graphql-tools/federation (`execution.queryPlanner: false`). */
export const graphqlToolsEngine = junction(false);
