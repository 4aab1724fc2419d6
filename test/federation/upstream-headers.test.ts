import { execute, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreams, type Upstreams } from '../../src/balancing/index.js';
import { resolveConfig } from '../../src/config/index.js';
import { createGraphManager } from '../../src/stitching/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { composeUpstreamHeaders } from '../../src/transports/index.js';
import { startSubgraphs, type RunningSubgraphs } from './harness/subgraphs.js';
import { link } from './suites/link.js';

const delay = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('identity headers and in-flight de-duplication towards federation subgraphs', () => {
  let subgraphs: RunningSubgraphs;
  let upstreams: Upstreams;
  let counter = 0;
  beforeAll(async () => {
    subgraphs = await startSubgraphs({
      accounts: {
        typeDefs: `${link('@key')}\ntype Query { me: User }\ntype Mutation { bump: Int! }\ntype User @key(fields: "id") { id: ID! }`,
        resolvers: { Query: { me: () => ({ id: 'u1' }) }, Mutation: { bump: async () => (await delay(), ++counter) } },
      },
      secrets: {
        typeDefs: `${link('@key')}\ntype User @key(fields: "id") { id: ID! seenAs: String! }`,
        resolvers: {
          User: {
            __resolveReference: (ref: { id: string }) => ref,
            // Slow enough that concurrent identical _entities requests are in flight together.
            seenAs: async (_: unknown, __: unknown, context: { request: Request }) => (await delay(), context.request.headers.get('x-user') ?? 'nobody'),
          },
        },
      },
    });
    upstreams = createUpstreams();
  });
  afterAll(async () => {
    await upstreams?.close();
    await subgraphs?.[Symbol.asyncDispose]();
  });

  async function graph({ dedupeInflight = true }: { dedupeInflight?: boolean } = {}): Promise<GraphQLSchema> {
    const graphs = createGraphManager({
      registryDir: '/nonexistent-registry',
      upstreams,
      logger: createLogger({ level: 'silent' }),
      drainMs: 0,
      federation: resolveConfig({}).federation,
      dedupeInflight,
      supergraphSdl: subgraphs.supergraphSdl,
      upstreamHeaders: composeUpstreamHeaders({ identifying: [(context) => ({ 'x-user': (context as { user: string }).user })] }),
    });
    return (await graphs.start()).schema;
  }
  const run = (schema: GraphQLSchema, source: string, users: string[]) =>
    Promise.all(users.map((user) => execute({ schema, document: parse(source), contextValue: { user } })));

  it('never merges identical concurrent entity fetches of different users: each call carries its own user', async () => {
    const schema = await graph();
    subgraphs.resetCounts();
    const [alice, bob] = await run(schema, '{ me { seenAs } }', ['alice', 'bob']);
    expect(alice).toEqual({ data: { me: { seenAs: 'alice' } } });
    expect(bob).toEqual({ data: { me: { seenAs: 'bob' } } });
    expect(subgraphs.counts()).toEqual({ accounts: 2, secrets: 2 });
  });

  it('shares one call between identical concurrent queries of the same user, each getting the full answer', async () => {
    const schema = await graph();
    subgraphs.resetCounts();
    const answers = await run(schema, '{ me { seenAs } }', ['alice', 'alice', 'alice']);
    expect(answers).toEqual(Array(3).fill({ data: { me: { seenAs: 'alice' } } }));
    expect(subgraphs.counts()).toEqual({ accounts: 1, secrets: 1 });
  });

  it('sends every identical concurrent query when execution.dedupeInflight is false', async () => {
    const schema = await graph({ dedupeInflight: false });
    subgraphs.resetCounts();
    await run(schema, '{ me { seenAs } }', ['alice', 'alice']);
    expect(subgraphs.counts()).toEqual({ accounts: 2, secrets: 2 });
  });

  it('never merges identical concurrent mutations', async () => {
    const schema = await graph();
    subgraphs.resetCounts();
    const answers = await run(schema, 'mutation { bump }', ['alice', 'alice']);
    expect(answers.map((a) => (a.data as { bump: number }).bump).sort()).toEqual([counter - 1, counter]);
    expect(subgraphs.counts()).toEqual({ accounts: 2, secrets: 0 });
  });
});
