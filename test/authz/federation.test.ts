import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { IResolvers } from '@graphql-tools/utils';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { definePolicies, definePolicy } from '../../src/authz/index.js';
import type { RequestHandler } from '../../services-mock/mock-server.js';
import { startGateway } from '../helpers/gateway.js';
import { tempRegistry } from '../helpers/registry.js';
import { keyDir, goodClaims, sign } from '../auth/auth-helpers.js';
import { startTestGraph, type ServiceSpec } from './test-graph.js';

/** Apollo Federation 2.6 subgraphs using Apollo's own authorization directives. */
const PEOPLE_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])
  type Person @key(fields: "id") {
    id: ID!
    name: String!
    email: String @authenticated
    salary: Int @requiresScopes(scopes: [["hr:read"]])
    diary: String @policy(policies: [["self"]])
  }
  type Query { person(id: ID!): Person people: [Person!]! }
`;
const POSTS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Person @key(fields: "id") { id: ID! posts: [String!]! }
`;

const PEOPLE = [
  { id: '1', name: 'Ada', email: 'ada@example.com', salary: 100, diary: 'DIARY-1' },
  { id: '2', name: 'Bo', email: 'bo@example.com', salary: 90, diary: 'DIARY-2' },
];
const byId = (id: string) => PEOPLE.find((p) => p.id === id) ?? null;

function subgraph(typeDefs: string, resolvers: IResolvers): RequestHandler {
  const yoga = createYoga({ schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }), logging: false, graphiql: false });
  return (req, res) => yoga(req, res);
}

const SERVICES: Record<string, ServiceSpec> = {
  people: {
    kind: 'federation',
    sdl: PEOPLE_SDL,
    handler: subgraph(PEOPLE_SDL, {
      Query: { person: (_: unknown, { id }: { id: string }) => byId(id), people: () => PEOPLE },
      Person: { __resolveReference: ({ id }: { id: string }) => byId(id) },
    }),
  },
  posts: {
    kind: 'federation',
    sdl: POSTS_SDL,
    handler: subgraph(POSTS_SDL, { Person: { __resolveReference: ({ id }: { id: string }) => ({ id, posts: [`post by ${id}`] }) } }),
  },
};

const policies = definePolicies({
  self: definePolicy({ parentFields: ['id'], check: ({ viewer, parent }) => viewer.subject !== undefined && viewer.subject === parent.id }),
});

describe("Apollo Federation subgraphs' @authenticated, @requiresScopes and @policy", () => {
  it('are enforced like ours on the general engine, and the subgraph is never asked for a denied field', async () => {
    await using graph = await startTestGraph(SERVICES, { authz: { policies }, execution: { queryPlanner: false } });
    graph.resetRecords();
    const anonymous = await graph.query('{ person(id: "1") { name email salary diary posts } }');
    expect(anonymous.body.data).toEqual({ person: { name: 'Ada', email: null, salary: null, diary: null, posts: ['post by 1'] } });
    expect(anonymous.body.errors.map((e: { extensions: object }) => e.extensions)).toEqual([
      { code: 'UNAUTHENTICATED', coordinate: 'Person.email', requirement: { authenticated: true } },
      { code: 'UNAUTHENTICATED', coordinate: 'Person.salary', requirement: { scopes: [['hr:read']] } },
      { code: 'UNAUTHENTICATED', coordinate: 'Person.diary', requirement: { policies: [['self']] } },
    ]);
    expect(graph.proxies['people']!.queries().join('\n')).not.toMatch(/\b(email|salary|diary)\b/);

    graph.resetRecords();
    const ada = await graph.query('{ people { name diary salary } }', { sub: '1', scope: 'hr:read' });
    expect(ada.body.data.people).toEqual([{ name: 'Ada', diary: 'DIARY-1', salary: 100 }, { name: 'Bo', diary: null, salary: 90 }]);
    expect(ada.body.errors.map((e: { path: unknown[] }) => e.path)).toEqual([['people', 1, 'diary']]);
    // The diary is fetched after the policy allowed it, for Ada only (one _entities call).
    const diaryCalls = graph.proxies['people']!.received.filter((r) => /\bdiary\b/.test(r.body));
    expect(diaryCalls).toHaveLength(1);
    expect(JSON.parse(diaryCalls[0]!.body).variables.representations).toEqual([{ __typename: 'Person', id: '1' }]);
  });

  it('are enforced on the query planner path too: a denied field is null with its error', async () => {
    await using graph = await startTestGraph(SERVICES, { authz: { policies } });
    expect(graph.gw.gateway.graph()?.fastPath).toBeDefined();
    const { body } = await graph.query('{ person(id: "2") { name email salary posts } }', { sub: '1' });
    expect(body.data).toEqual({ person: { name: 'Bo', email: 'bo@example.com', salary: null, posts: ['post by 2'] } });
    expect(body.errors.map((e: { extensions: { coordinate: string } }) => e.extensions.coordinate)).toEqual(['Person.salary']);
    expect(JSON.stringify(body)).not.toContain('90');
  });

  it('are read from a composed supergraph file (--supergraph) as well', async () => {
    await using people = await startTestGraph({ people: SERVICES['people']! });
    const composed = composeServices([{ name: 'people', typeDefs: parse(PEOPLE_SDL), url: `${people.proxies['people']!.url}/graphql` }]);
    if (compositionHasErrors(composed)) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    await using dir = await tempRegistry();
    const file = join(dir.dir, 'supergraph.graphql');
    await writeFile(file, composed.supergraphSdl);
    await using keys = await keyDir();
    const key = await keys.key('k1');
    await using gw = await startGateway({
      registry: join(dir.dir, 'no-registry'),
      federation: { supergraph: file }, execution: { queryPlanner: false },
      auth: { jwt: { keys: [{ kid: 'k1', privateKeyFile: key.privateFile }] } },
      authz: { policies },
    });
    const anonymous = await gw.query('{ person(id: "1") { name email diary } }');
    expect(anonymous.body.data).toEqual({ person: { name: 'Ada', email: null, diary: null } });
    const token = await sign(key.privateKey, { alg: 'ES256', kid: 'k1', typ: 'at+jwt' }, goodClaims({ sub: '1', roles: [], scope: '' }));
    const ada = await gw.query('{ person(id: "1") { name email diary } }', undefined, { authorization: `Bearer ${token}` });
    expect(ada.body).toEqual({ data: { person: { name: 'Ada', email: 'ada@example.com', diary: 'DIARY-1' } } });
  });
});
