// Follows the federation-gateway-audit suite "enum-intersection".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = [
  { id: 'u1', type: 'REGULAR' },
  { id: 'u2', type: 'ANONYMOUS' },
];

/** An enum value marked @inaccessible: clients cannot send it, and a subgraph returning it must not leak it. */
export const auditEnumIntersectionSuite: FederationSuite = {
  name: 'audit: @inaccessible enum values',
  subgraphs: {
    accounts: {
      typeDefs: `${link('@key', '@shareable', '@inaccessible')}
        type Query { users: [User] usersByType(type: UserType!): [User] }
        type User @key(fields: "id") { id: ID! type: UserType @shareable }
        enum UserType { REGULAR ANONYMOUS @inaccessible }`,
      resolvers: {
        Query: { users: () => users, usersByType: (_: unknown, args: { type: string }) => users.filter((u) => u.type === args.type) },
        User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) ?? null },
      },
    },
    directory: {
      // Knows the value too, but never answers it.
      typeDefs: `${link('@key', '@shareable', '@inaccessible')}
        type Query { usersB: [User] }
        type User @key(fields: "id") { id: ID! type: UserType @shareable }
        enum UserType { REGULAR ANONYMOUS @inaccessible }`,
      resolvers: {
        Query: { usersB: () => users.map((u) => ({ id: u.id, type: u.type === 'ANONYMOUS' ? null : u.type })) },
        User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
      },
    },
  },
  cases: [
    {
      title: 'serves a list whose enum field is not selected',
      query: '{ users { id } }',
      expected: { data: { users: [{ id: 'u1' }, { id: 'u2' }] } },
    },
    {
      title: 'nulls an inaccessible enum value a subgraph answered, with an error',
      knownFailure: { engines: ['graphql-tools'], reason: 'graphql-tools nulls an @inaccessible enum value without an error' },
      query: '{ users { id type } }',
      expected: { data: { users: [{ id: 'u1', type: 'REGULAR' }, { id: 'u2', type: null }] }, errors: [{}] },
    },
    {
      title: 'passes through the accessible values and nulls of another subgraph without errors',
      query: '{ usersB { id type } }',
      expected: { data: { usersB: [{ id: 'u1', type: 'REGULAR' }, { id: 'u2', type: null }] } },
    },
    {
      title: 'accepts an accessible enum value as an argument',
      query: '{ usersByType(type: REGULAR) { id type } }',
      expected: { data: { usersByType: [{ id: 'u1', type: 'REGULAR' }] } },
    },
    {
      title: 'rejects an inaccessible enum value as an argument before execution',
      query: '{ usersByType(type: ANONYMOUS) { id type } }',
      expected: { data: undefined, errors: [{ message: /ANONYMOUS/ }] },
    },
    {
      title: 'rejects an inaccessible enum value sent in a variable',
      query: 'query ($t: UserType!) { usersByType(type: $t) { id } }',
      variables: { t: 'ANONYMOUS' },
      expected: { data: undefined, errors: [{ message: /ANONYMOUS/ }] },
    },
  ],
};
