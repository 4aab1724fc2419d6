import type { FaultMode } from '../../../services-mock/mock-server.js';

/**
 * Engine-agnostic federation test cases: subgraphs (real servers), queries and the answers the
 * Federation v2 specification and the public gateway audit expect. The same suites run against every
 * execution engine (see engine.ts); nothing here knows how the gateway works inside.
 */
export interface FederationSuite {
  /** Feature under test, e.g. "@requires". */
  name: string;
  subgraphs: Record<string, SubgraphSpec>;
  /** Gateway options the suite needs. */
  gateway?: SuiteGatewayOptions;
  /** Strings the composed supergraph must contain (e.g. a @tag that composition must keep). */
  supergraphContains?: string[];
  cases: FederationCase[];
}

export interface SuiteGatewayOptions {
  /** Progressive @override labels switched on. */
  overrideLabels?: string[];
}

export interface SubgraphSpec {
  /** Federation v2 subgraph SDL. */
  typeDefs: string;
  /** @apollo/subgraph resolvers. */
  resolvers?: Record<string, unknown>;
  /**
   * Misbehaviour for malformed-answer cases: given the request body and the mode the case selected,
   * return the JSON to answer with instead of executing, or undefined to execute normally.
   */
  misbehave?: (body: { query: string; variables?: Record<string, unknown> }, mode: string) => unknown;
}

export interface ExpectedError {
  message?: string | RegExp;
  /** `extensions.code`. */
  code?: string;
  /** `extensions.service`: which service the error is attributed to. */
  service?: string;
}

export interface FederationCase {
  /** Reads like a spec line. */
  title: string;
  query: string;
  variables?: Record<string, unknown>;
  expected: {
    /** The exact `data` of the answer (`undefined` when the request must be rejected before execution). */
    data: unknown;
    /** Each must match one error of the answer; without it the answer must have no errors. */
    errors?: ExpectedError[];
  };
  /** Exact HTTP requests each named subgraph must receive for this query (batching, @provides). */
  calls?: Record<string, number>;
  /** Per subgraph: `misbehave` mode, or a transport fault of the mock server ("down", "garbage", ...). */
  subgraphModes?: Record<string, string | { fault: FaultMode }>;
  /**
   * A known bug on these engines (see README "Known differences"): the case passes only while the
   * gateway answers and the answer does not match (a crash or timeout still fails it), so it fails the
   * suite once the bug is fixed, and the marker must then be removed.
   */
  knownFailure?: { engines: ReadonlyArray<EngineId>; reason: string };
}

/** The engine a case runs on: `query planner` is the default gateway (planner, graphql-tools for what it cannot plan). */
export type EngineId = 'query planner' | 'graphql-tools';
