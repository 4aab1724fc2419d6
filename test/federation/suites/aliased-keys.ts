import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const bestFriendOf = (id: string) => (id === '1' ? '2' : '1');

/**
 * A client alias that names an entity key (`id: bestFriendId`) must not change whose fields the
 * gateway fetches next: the key in the merged object stays the entity's own.
 */
export const aliasedKeysSuite: FederationSuite = {
  name: 'client aliases over entity keys',
  subgraphs: {
    people: {
      typeDefs: `${link('@key')}
        type Query { me: User }
        type User @key(fields: "id") { id: ID! name: String! }`,
      resolvers: { Query: { me: () => ({ id: '1', name: 'Ann' }) } },
    },
    friends: {
      typeDefs: `${link('@key')}
        type User @key(fields: "id") { id: ID! bestFriendId: ID! }`,
      resolvers: { User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, bestFriendId: bestFriendOf(ref.id) }) } },
    },
    diaries: {
      typeDefs: `${link('@key')}
        type User @key(fields: "id") { id: ID! notes: String! }`,
      resolvers: { User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, notes: `notes of ${ref.id}` }) } },
    },
  },
  cases: [
    {
      title: 'fetches the notes of the user itself when another subgraph\'s field is aliased as its key',
      knownFailure: { engines: ['graphql-tools'], reason: 'graphql-tools answers the entity key for a client alias named like the key' },
      query: '{ me { id: bestFriendId notes } }',
      expected: { data: { me: { id: '2', notes: 'notes of 1' } } },
    },
    {
      title: 'does the same whatever the order of the fields',
      knownFailure: { engines: ['graphql-tools'], reason: 'graphql-tools answers the entity key for a client alias named like the key' },
      query: '{ me { notes id: bestFriendId name } }',
      expected: { data: { me: { notes: 'notes of 1', id: '2', name: 'Ann' } } },
    },
  ],
};
