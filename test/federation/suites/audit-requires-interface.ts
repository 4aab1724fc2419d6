// Follows the federation-gateway-audit suite "requires-interface".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = [
  { id: 'u1', name: 'Ann', address: 'a1' },
  { id: 'u2', name: 'Ben', address: 'a2' },
];
const addresses = [
  { __typename: 'HomeAddress', id: 'a1', city: 'a1-city', country: 'a1-country' },
  { __typename: 'WorkAddress', id: 'a2', city: 'a2-city', country: 'a2-country' },
];
const address = (id: string | undefined) => addresses.find((a) => a.id === id);
const byTypename = (o: { __typename: string }) => o.__typename;

/** @requires through an interface-typed field: on the interface ("address { id }") and on one implementation only ("... on WorkAddress"). */
export const auditRequiresInterfaceSuite: FederationSuite = {
  name: 'audit: @requires on interface-typed fields',
  subgraphs: {
    people: {
      typeDefs: `${link('@key', '@requires', '@external', '@shareable')}
        type Query { a: User }
        interface Address { id: ID! }
        type HomeAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
        type WorkAddress implements Address @key(fields: "id") { id: ID! city: String @shareable }
        type User @key(fields: "id") {
          id: ID!
          name: String! @shareable
          address: Address @external
          city: String @requires(fields: "address { id }")
          country: String @requires(fields: "address { ... on WorkAddress { id } }")
        }`,
      resolvers: {
        Query: { a: () => ({ id: users[0]!.id, name: users[0]!.name }) },
        Address: { __resolveType: byTypename },
        HomeAddress: { __resolveReference: (ref: { id: string }) => address(ref.id) ?? null },
        WorkAddress: { __resolveReference: (ref: { id: string }) => address(ref.id) ?? null },
        User: {
          __resolveReference: (ref: { id: string; address?: { id?: string } | null }) => {
            const user = users.find((u) => u.id === ref.id);
            return user ? { id: user.id, name: user.name, address: ref.address } : null;
          },
          city: (u: { address?: { id?: string } | null }) => {
            if (u.address === undefined) throw new Error('address { id } was not sent');
            return address(u.address?.id)?.city ?? null;
          },
          // A home address matches no part of the requirement: nothing to send, and no country.
          country: (u: { address?: { id?: string } | null }) => address(u.address?.id)?.country ?? null,
        },
      },
    },
    places: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { b: User }
        interface Address { id: ID! }
        type HomeAddress implements Address @key(fields: "id") { id: ID! }
        type WorkAddress implements Address @key(fields: "id") { id: ID! }
        type SecondAddress implements Address @key(fields: "id") { id: ID! }
        type User @key(fields: "id") { id: ID! name: String! @shareable address: Address }`,
      resolvers: {
        Query: { b: () => users[1] },
        Address: { __resolveType: byTypename },
        User: {
          __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) ?? null,
          address: (u: { address: string }) => address(u.address) ?? null,
        },
      },
    },
  },
  cases: [
    {
      title: 'sends an interface-typed required selection fetched from another subgraph',
      query: '{ a { city } }',
      expected: { data: { a: { city: 'a1-city' } } },
    },
    {
      title: 'sends it when the entity came from the subgraph that owns the interface field',
      query: '{ b { city } }',
      expected: { data: { b: { city: 'a2-city' } } },
    },
    {
      title: 'answers null for a requirement on an implementation the value does not have',
      query: '{ a { country } }',
      expected: { data: { a: { country: null } } },
    },
    {
      title: 'resolves a requirement on the implementation the value has',
      query: '{ b { country city } }',
      expected: { data: { b: { country: 'a2-country', city: 'a2-city' } } },
    },
    {
      title: 'returns the concrete type of the interface-typed field itself',
      query: '{ a { address { __typename id } } b { address { __typename id } } }',
      expected: { data: { a: { address: { __typename: 'HomeAddress', id: 'a1' } }, b: { address: { __typename: 'WorkAddress', id: 'a2' } } } },
    },
  ],
};
