// Follows the federation-gateway-audit suite "fed2-external-extends".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = [
  { id: 'u1', name: 'u1-name', nickname: 'u1-nickname', rid: 'u1-rid' },
  { id: 'u2', name: 'u2-name', nickname: 'u2-nickname', rid: 'u2-rid' },
];

/** A Federation 2 subgraph that extends a type (@extends, @external key and field) and provides the external field on one path. */
export const auditFed2ExternalExtendsSuite: FederationSuite = {
  name: 'audit: @extends with @external in a Federation 2 subgraph',
  subgraphs: {
    extension: {
      typeDefs: `${link('@key', '@external', '@extends', '@provides')}
        type Query { randomUser: User providedRandomUser: User @provides(fields: "name") }
        type User @key(fields: "id") @extends { id: ID! @external name: String! @external rid: ID }`,
      resolvers: {
        Query: {
          randomUser: () => ({ id: users[0]!.id, rid: users[0]!.rid }),
          providedRandomUser: () => ({ id: users[0]!.id, rid: users[0]!.rid, name: users[0]!.name }),
        },
        User: {
          __resolveReference: (ref: { id: string }) => {
            const user = users.find((u) => u.id === ref.id);
            return user ? { id: user.id, rid: user.rid } : null;
          },
          // Only a provided path has the name; anywhere else this marks a gateway asking the wrong subgraph.
          name: (u: { name?: string }) => u.name ?? 'never',
        },
      },
    },
    accounts: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { userById(id: ID): User }
        type User @key(fields: "id") { id: ID! name: String! @shareable nickname: String }`,
      resolvers: {
        Query: { userById: (_: unknown, args: { id: string }) => users.find((u) => u.id === args.id) ?? null },
        User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) ?? null },
      },
    },
  },
  cases: [
    {
      title: 'fetches an @external field from its owner, and serves two root fields of different subgraphs',
      query: '{ randomUser { id name } userById(id: "u2") { id name nickname } }',
      expected: { data: { randomUser: { id: 'u1', name: 'u1-name' }, userById: { id: 'u2', name: 'u2-name', nickname: 'u2-nickname' } } },
    },
    {
      title: 'serves the extending subgraph\'s own field with one fetch',
      query: '{ randomUser { id rid } }',
      expected: { data: { randomUser: { id: 'u1', rid: 'u1-rid' } } },
      calls: { extension: 1, accounts: 0 },
    },
    {
      title: 'takes a provided @external field from the extending subgraph',
      query: '{ providedRandomUser { id name rid } }',
      expected: { data: { providedRandomUser: { id: 'u1', name: 'u1-name', rid: 'u1-rid' } } },
      calls: { extension: 1, accounts: 0 },
    },
    {
      title: 'resolves the extending subgraph\'s field for an entity another subgraph returned',
      query: '{ userById(id: "u2") { nickname rid } }',
      expected: { data: { userById: { nickname: 'u2-nickname', rid: 'u2-rid' } } },
    },
  ],
};
