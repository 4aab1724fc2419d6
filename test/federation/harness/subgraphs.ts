import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { readBody, sendJson, startMockServer, type RunningMock } from '../../../services-mock/mock-server.js';
import type { SubgraphSpec } from './suite.js';

export interface RunningSubgraph {
  name: string;
  /** GraphQL endpoint. */
  url: string;
  mock: RunningMock;
  /** Selects the `misbehave` mode (undefined: behave). */
  setMode(mode: string | undefined): void;
  /** Request bodies received since the last reset, for tests that inspect what the gateway sent. */
  bodies: Array<{ query: string; variables?: Record<string, unknown> }>;
}

export interface RunningSubgraphs extends AsyncDisposable {
  byName: Record<string, RunningSubgraph>;
  /** Supergraph SDL composed from the subgraphs, with their real URLs. */
  supergraphSdl: string;
  resetCounts(): void;
  counts(): Record<string, number>;
}

/** Starts every subgraph of a suite as a real yoga server on 127.0.0.1:0 and composes the supergraph. */
export async function startSubgraphs(specs: Record<string, SubgraphSpec>): Promise<RunningSubgraphs> {
  const byName: Record<string, RunningSubgraph> = {};
  for (const [name, spec] of Object.entries(specs)) byName[name] = await startSubgraph(name, spec);
  const composed = composeServices(Object.entries(specs).map(([name, spec]) => ({ name, typeDefs: parse(spec.typeDefs), url: byName[name]!.url })));
  if (compositionHasErrors(composed)) {
    await Promise.all(Object.values(byName).map((s) => s.mock.close()));
    throw new Error(`suite subgraphs do not compose:\n${composed.errors.map((e) => e.message).join('\n')}`);
  }
  const all = () => Object.values(byName);
  return {
    byName,
    supergraphSdl: composed.supergraphSdl,
    resetCounts: () => all().forEach((s) => {
      s.mock.resetStats();
      s.bodies.length = 0;
    }),
    counts: () => Object.fromEntries(all().map((s) => [s.name, s.mock.stats().requests])),
    [Symbol.asyncDispose]: async () => {
      await Promise.all(all().map((s) => s.mock.close()));
    },
  };
}

async function startSubgraph(name: string, spec: SubgraphSpec): Promise<RunningSubgraph> {
  const schema = buildSubgraphSchema({ typeDefs: parse(spec.typeDefs), resolvers: (spec.resolvers ?? {}) as never });
  const yoga = createYoga({ schema, graphiql: false, landingPage: false, logging: false, maskedErrors: false });
  let mode: string | undefined;
  const bodies: RunningSubgraph['bodies'] = [];
  const mock = await startMockServer(name, async (req, res) => {
    const text = await readBody(req);
    const body = JSON.parse(text) as RunningSubgraph['bodies'][number];
    bodies.push(body);
    const raw = mode && spec.misbehave ? spec.misbehave(body, mode) : undefined;
    if (raw !== undefined) return sendJson(res, 200, raw);
    const headers = Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : []));
    const response = await yoga.fetch('http://subgraph/graphql', { method: 'POST', headers: [...headers, ['content-type', 'application/json']], body: text });
    const answer = await response.text();
    res.writeHead(response.status, { 'content-type': 'application/json' });
    res.end(answer);
  });
  return { name, url: `${mock.url}/graphql`, mock, setMode: (m) => void (mode = m), bodies };
}
