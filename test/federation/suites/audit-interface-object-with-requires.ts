// Follows the federation-gateway-audit suite "interface-object-with-requires".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = [
  { id: 'u1', name: 'u1-name', username: 'u1-username', age: 11 },
  { id: 'u2', name: 'u2-name', username: 'u2-username', age: 22 },
];

/** A @requires inside an @interfaceObject: the required field lives on the implementations in another subgraph. */
export const auditInterfaceObjectWithRequiresSuite: FederationSuite = {
  name: 'audit: @requires on an @interfaceObject',
  subgraphs: {
    accounts: {
      typeDefs: `${link('@key')}
        type Query { users: [NodeWithName] }
        interface NodeWithName @key(fields: "id") { id: ID! name: String }
        type User implements NodeWithName @key(fields: "id") { id: ID! name: String age: Int }`,
      resolvers: {
        Query: { users: () => users.map((u) => ({ __typename: 'User', ...u })) },
        NodeWithName: {
          __resolveReference: (ref: { id: string }) => {
            const user = users.find((u) => u.id === ref.id);
            return user ? { __typename: 'User', ...user } : null;
          },
          __resolveType: (o: { __typename: string }) => o.__typename,
        },
        User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) ?? null },
      },
    },
    handles: {
      typeDefs: `${link('@key', '@interfaceObject', '@external', '@requires')}
        type Query { anotherUsers: [NodeWithName] }
        type NodeWithName @key(fields: "id") @interfaceObject { id: ID! name: String @external username: String @requires(fields: "name") }`,
      resolvers: {
        Query: { anotherUsers: () => users.map((u) => ({ id: u.id })) },
        NodeWithName: {
          __resolveReference: (ref: { id: string; name?: string }) => (users.some((u) => u.id === ref.id) ? ref : null),
          username: (node: { id: string; name?: string }) => {
            if (!node.name) throw new Error('required field name was not sent');
            return users.find((u) => u.id === node.id)?.username ?? null;
          },
        },
      },
    },
  },
  cases: [
    {
      title: 'fetches the required field from the implementations for @interfaceObject entities of a root field',
      knownFailure: { engines: ['query planner', 'graphql-tools'], reason: 'graphql-tools asks the @interfaceObject subgraph for a field it only declares @external' },
      query: '{ anotherUsers { id name username } }',
      expected: { data: { anotherUsers: [{ id: 'u1', name: 'u1-name', username: 'u1-username' }, { id: 'u2', name: 'u2-name', username: 'u2-username' }] } },
    },
    {
      title: 'sends the required field to the @interfaceObject subgraph for entities of the interface',
      query: '{ users { id name username } }',
      expected: { data: { users: [{ id: 'u1', name: 'u1-name', username: 'u1-username' }, { id: 'u2', name: 'u2-name', username: 'u2-username' }] } },
    },
    {
      title: 'resolves a fragment on the implementation for @interfaceObject entities',
      query: '{ anotherUsers { ... on User { age } } }',
      expected: { data: { anotherUsers: [{ age: 11 }, { age: 22 }] } },
    },
    {
      title: 'resolves a fragment on the implementation for entities of the interface',
      query: '{ users { ... on User { age } } }',
      expected: { data: { users: [{ age: 11 }, { age: 22 }] } },
    },
    {
      title: 'merges the @requires field selected both inside a fragment and on the interface',
      knownFailure: { engines: ['query planner', 'graphql-tools'], reason: 'graphql-tools asks the @interfaceObject subgraph for a field it only declares @external' },
      query: '{ anotherUsers { ... on User { age id name username } id name } }',
      expected: {
        data: { anotherUsers: [{ age: 11, id: 'u1', name: 'u1-name', username: 'u1-username' }, { age: 22, id: 'u2', name: 'u2-name', username: 'u2-username' }] },
      },
    },
    {
      title: 'merges it the same way starting from the interface\'s own root field',
      query: '{ users { ... on User { age id name username } id name } }',
      expected: { data: { users: [{ age: 11, id: 'u1', name: 'u1-name', username: 'u1-username' }, { age: 22, id: 'u2', name: 'u2-name', username: 'u2-username' }] } },
    },
  ],
};
