import { CLI } from '../helpers/cli.js';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../services-mock/mock-server.js';
import { createGraphQLHandler } from '../../services-mock/services/graphql-handler.js';
import { createGateway } from '../../src/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { tempRegistry } from '../helpers/registry.js';
import { startSubgraphs, type RunningSubgraphs } from './harness/subgraphs.js';
import type { SubgraphSpec } from './harness/suite.js';
import { link } from './suites/link.js';

const run = promisify(execFile);
const silent = createLogger({ level: 'silent' });

const users = [{ id: 'u1', name: 'Alice' }, { id: 'u2', name: 'Bob' }];
const SUBGRAPHS: Record<string, SubgraphSpec> = {
  accounts: {
    typeDefs: `${link('@key')}\ntype Query { users: [User!]! }\ntype User @key(fields: "id") { id: ID! name: String! }`,
    resolvers: { Query: { users: () => users }, User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) } },
  },
  reviews: {
    typeDefs: `${link('@key')}\ntype User @key(fields: "id") { id: ID! reviewCount: Int! }`,
    resolvers: { User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, reviewCount: ref.id === 'u1' ? 2 : 0 }) } },
  },
};
const QUERY = '{ users { name reviewCount } }';
const ANSWER = { data: { users: [{ name: 'Alice', reviewCount: 2 }, { name: 'Bob', reviewCount: 0 }] } };

async function post(url: string, query: string): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return response.json();
}

describe('serving a supergraph file', () => {
  let subgraphs: RunningSubgraphs;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    subgraphs = await startSubgraphs(SUBGRAPHS);
    dir = await mkdtemp(join(tmpdir(), 'junction-supergraph-'));
    file = join(dir, 'supergraph.graphql');
    await writeFile(file, subgraphs.supergraphSdl);
  });
  afterAll(async () => {
    await subgraphs?.[Symbol.asyncDispose]();
    await rm(dir, { recursive: true, force: true });
  });

  it('junction serve --supergraph FILE answers with the subgraph URLs written in the file', async () => {
    // Run where there is no registry folder, as a team switching from Hive Gateway or Apollo Router would.
    const child = spawn(CLI[0]!, [...CLI.slice(1), 'serve', '--supergraph', 'supergraph.graphql', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, JUNCTION_CONFIG: '' } });
    try {
      const lines = createInterface({ input: child.stdout! });
      let url: string | undefined;
      for await (const line of lines) {
        url = /GraphiQL: (http:\/\/\S+)/.exec(line)?.[1];
        if (url) break;
      }
      expect(url).toBeDefined();
      subgraphs.resetCounts();
      expect(await post(url!, QUERY)).toEqual(ANSWER);
      expect(subgraphs.counts()).toEqual({ accounts: 1, reviews: 1 });
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });

  it('junction check --supergraph FILE lists the subgraphs and exits 0', async () => {
    const { stdout } = await run(CLI[0]!, [...CLI.slice(1), 'check', '--supergraph', file, '--registry', join(dir, 'no-registry')]);
    expect(stdout).toContain('ok  accounts (federation, 1 endpoint)');
    expect(stdout).toContain('ok  reviews (federation, 1 endpoint)');
    expect(stdout).toContain(`ok  supergraph: ${file}`);
  });

  it('balances a subgraph over the replicas configured for it, overriding the URL in the file (path relative to the config)', async () => {
    await using second = await startSubgraphs(SUBGRAPHS); // only its reviews replica is used
    const configFile = join(dir, 'junction.yaml');
    await writeFile(configFile, [
      'federation:',
      '  supergraph: supergraph.graphql',
      '  subgraphs:',
      '    reviews:',
      '      endpoints:',
      `        - url: ${subgraphs.byName['reviews']!.url}`,
      `        - url: ${second.byName['reviews']!.url}`,
      `registry: ${join(dir, 'no-registry')}`,
      'reload: { enabled: false }',
    ].join('\n'));
    await using gateway = await createGateway({ configFile, logger: silent });
    subgraphs.resetCounts();
    second.resetCounts();
    for (let i = 0; i < 4; i++) {
      const response = await gateway.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
      expect(await response.json()).toEqual(ANSWER);
    }
    expect([subgraphs.counts()['reviews'], second.counts()['reviews']]).toEqual([2, 2]);
  });

  it('stitches the registry\'s services into the same graph as the supergraph\'s subgraphs', async () => {
    await using badges = await startMockServer('badges', createGraphQLHandler(
      'type User { id: ID! badges: [String!]! } type Query { _usersByIds(ids: [ID!]!): [User]! }',
      { Query: { _usersByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id, badges: [`badge-${id}`] })) } },
    ));
    await using registry = await tempRegistry();
    await registry.write('badges/service.yaml', `name: badges\nkind: graphql\nendpoints:\n  - url: ${badges.url}/graphql\n`);
    await registry.write('badges/schema.graphql', 'type User @key(selectionSet: "{ id }") { id: ID! badges: [String!]! }\ntype Query { _usersByIds(ids: [ID!]!): [User]! @merge(keyField: "id") }\n');
    await using gateway = await createGateway({ logger: silent, config: { registry: registry.dir, reload: { enabled: false }, federation: { supergraph: file } } });
    const response = await gateway.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ users { name reviewCount badges } }' }) });
    expect(await response.json()).toEqual({ data: { users: [{ name: 'Alice', reviewCount: 2, badges: ['badge-u1'] }, { name: 'Bob', reviewCount: 0, badges: ['badge-u2'] }] } });
    expect(gateway.graph()!.services.map((s) => `${s.name}:${s.kind}`).sort()).toEqual(['accounts:federation', 'badges:graphql', 'reviews:federation']);
  });

  it('swaps in a changed supergraph file without a restart', async () => {
    await using extra = await startSubgraphs({
      ...SUBGRAPHS,
      ratings: { typeDefs: `${link('@key')}\ntype User @key(fields: "id") { id: ID! stars: Int! }`, resolvers: { User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, stars: 5 }) } } },
    });
    const watched = join(dir, 'watched.graphql');
    await writeFile(watched, subgraphs.supergraphSdl);
    await using gateway = await createGateway({ logger: silent, config: { registry: join(dir, 'no-registry'), reload: { enabled: true, debounceMs: 20 }, federation: { supergraph: watched } } });
    const ask = async () => (await gateway.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ users { stars } }' }) })).json() as Promise<{ data?: unknown }>;
    expect((await ask()).data).toBeUndefined();
    await writeFile(watched, extra.supergraphSdl);
    const until = Date.now() + 10_000;
    let answer = await ask();
    while (!answer.data && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await ask();
    }
    expect(answer).toEqual({ data: { users: [{ stars: 5 }, { stars: 5 }] } });
  });

  it.each([
    { name: 'a missing file', sdl: undefined, config: {}, message: /^Cannot read supergraph file .*missing\.graphql/ },
    { name: 'a subgraph SDL instead of a supergraph', sdl: SUBGRAPHS['accounts']!.typeDefs, config: {}, problem: /not a composed supergraph: it has no join__Graph enum/ },
    { name: 'an SDL syntax error', sdl: 'type Query {', config: {}, problem: /SDL syntax error/ },
    { name: 'an override for a subgraph the supergraph lacks', sdl: 'composed', config: { subgraphs: { review: { timeoutMs: 100 } } }, problem: /federation\.subgraphs\.review: the supergraph has no subgraph "review" \(it has: accounts, reviews\)/ },
    { name: 'a subgraph without URL and without configured endpoints', sdl: 'no-url', config: {}, problem: /subgraph "reviews" has no usable http\(s\) URL in the supergraph: set federation\.subgraphs\.reviews\.endpoints/ },
  ])('refuses to start on $name, with JNC_SUPERGRAPH_INVALID', async ({ sdl, config, message, problem }) => {
    const target = join(dir, sdl === undefined ? 'missing.graphql' : 'bad.graphql');
    if (sdl !== undefined) {
      const text = sdl === 'composed' ? subgraphs.supergraphSdl : sdl === 'no-url' ? subgraphs.supergraphSdl.replace(/(name: "reviews"), url: "[^"]+"/, '$1') : sdl;
      await writeFile(target, text);
    }
    const error = await createGateway({ logger: silent, config: { registry: join(dir, 'no-registry'), reload: { enabled: false }, federation: { supergraph: target, ...config } } }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; problems: Array<{ message: string }> },
    );
    expect(error?.code).toBe('JNC_SUPERGRAPH_INVALID');
    if (message) expect(error!.message).toMatch(message);
    if (problem) expect(error!.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(problem));
  });
});
