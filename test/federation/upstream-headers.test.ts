import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createUpstreams } from '../../src/balancing/index.js';
import { createGraphManager } from '../../src/stitching/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { startSubgraphs } from './harness/subgraphs.js';
import { link } from './suites/link.js';

describe('per-request upstream headers towards federation subgraphs', () => {
  it('never merges identical concurrent entity fetches of different users: each subgraph call carries its own user', async () => {
    const delay = () => new Promise((resolve) => setTimeout(resolve, 50));
    await using subgraphs = await startSubgraphs({
      accounts: {
        typeDefs: `${link('@key')}\ntype Query { me: User }\ntype User @key(fields: "id") { id: ID! }`,
        resolvers: { Query: { me: () => ({ id: 'u1' }) } },
      },
      secrets: {
        typeDefs: `${link('@key')}\ntype User @key(fields: "id") { id: ID! seenAs: String! }`,
        resolvers: {
          User: {
            __resolveReference: (ref: { id: string }) => ref,
            // Slow enough that both users' identical _entities requests are in flight together.
            seenAs: async (_: unknown, __: unknown, context: { request: Request }) => (await delay(), context.request.headers.get('x-user') ?? 'nobody'),
          },
        },
      },
    });
    await using upstreams = createUpstreams();
    await using graphs = createGraphManager({
      registryDir: '/nonexistent-registry',
      upstreams,
      logger: createLogger({ level: 'silent' }),
      drainMs: 0,
      supergraphSdl: subgraphs.supergraphSdl,
      upstreamHeaders: (context) => ({ 'x-user': (context as { user: string }).user }),
    });
    const { schema } = await graphs.start();
    const document = parse('{ me { seenAs } }');
    subgraphs.resetCounts();
    const [alice, bob] = await Promise.all(['alice', 'bob'].map((user) => execute({ schema, document, contextValue: { user } })));
    expect(alice).toEqual({ data: { me: { seenAs: 'alice' } } });
    expect(bob).toEqual({ data: { me: { seenAs: 'bob' } } });
    expect(subgraphs.counts()).toEqual({ accounts: 2, secrets: 2 });
  });
});
