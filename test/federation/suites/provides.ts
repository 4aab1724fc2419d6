import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = [
  { id: 'u1', username: 'alice', name: 'Alice Liddell' },
  { id: 'u2', username: 'bob', name: 'Bob Builder' },
];
const reviews = [
  { id: 'r1', body: 'Great', authorId: 'u1' },
  { id: 'r2', body: 'Meh', authorId: 'u2' },
];

/** @provides: a subgraph returns an @external field itself along one path, saving an entity fetch. */
export const providesSuite: FederationSuite = {
  name: '@provides',
  subgraphs: {
    accounts: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { me: User }
        type User @key(fields: "id") { id: ID! username: String! @shareable name: String! }`,
      resolvers: {
        Query: { me: () => users[0] },
        User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) ?? null },
      },
    },
    reviews: {
      typeDefs: `${link('@key', '@external', '@provides')}
        type Query { reviews: [Review!]! }
        type Review { id: ID! body: String! author: User! @provides(fields: "username") }
        type User @key(fields: "id") { id: ID! username: String! @external reviews: [Review!]! }`,
      resolvers: {
        Query: { reviews: () => reviews },
        Review: { author: (r: { authorId: string }) => ({ id: r.authorId, username: users.find((u) => u.id === r.authorId)!.username }) },
        User: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
          reviews: (u: { id: string }) => reviews.filter((r) => r.authorId === u.id),
        },
      },
    },
  },
  cases: [
    {
      title: 'takes a provided field from the providing subgraph without an entity fetch',
      query: '{ reviews { body author { id username } } }',
      expected: { data: { reviews: [{ body: 'Great', author: { id: 'u1', username: 'alice' } }, { body: 'Meh', author: { id: 'u2', username: 'bob' } }] } },
      calls: { reviews: 1, accounts: 0 },
    },
    {
      title: 'fetches the fields that are not provided from their owner',
      query: '{ reviews { author { username name } } }',
      expected: { data: { reviews: [{ author: { username: 'alice', name: 'Alice Liddell' } }, { author: { username: 'bob', name: 'Bob Builder' } }] } },
      calls: { reviews: 1, accounts: 1 },
    },
    {
      title: 'fetches an @external field from its owner on paths without @provides',
      query: '{ me { reviews { author { username } } } }',
      expected: { data: { me: { reviews: [{ author: { username: 'alice' } }] } } },
      calls: { accounts: 1, reviews: 1 },
    },
  ],
};
