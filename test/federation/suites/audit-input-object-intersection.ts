// Follows the federation-gateway-audit suite "input-object-intersection".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = [
  { id: 'u1', name: 'Ada' },
  { id: 'u2', name: 'Grace' },
];
type Filter = { first: number; offset?: number };
const page = (filter: Filter) => {
  // The supergraph has no offset: a subgraph that receives one was sent something the client may not send.
  if ('offset' in filter) throw new Error('offset must never reach a subgraph');
  return users.slice(0, filter.first);
};

/** Input object types compose to the intersection of their fields: a field one subgraph lacks is not part of the API. */
export const auditInputObjectIntersectionSuite: FederationSuite = {
  name: 'audit: input objects with different fields per subgraph',
  subgraphs: {
    left: {
      typeDefs: `${link('@key', '@shareable')}
        input UsersFilter { first: Int! }
        type User @key(fields: "id") { id: ID! name: String! @shareable }
        type Query { usersInA(filter: UsersFilter!): [User!] }`,
      resolvers: { Query: { usersInA: (_: unknown, args: { filter: Filter }) => page(args.filter) } },
    },
    right: {
      typeDefs: `${link('@key', '@shareable')}
        input UsersFilter { offset: Int first: Int! }
        type User @key(fields: "id") { id: ID! name: String! @shareable }
        type Query { usersInB(filter: UsersFilter!): [User!] }`,
      resolvers: { Query: { usersInB: (_: unknown, args: { filter: Filter }) => page(args.filter) } },
    },
  },
  cases: [
    {
      title: 'passes the common input field to the subgraph',
      query: '{ usersInA(filter: { first: 1 }) { id name } }',
      expected: { data: { usersInA: [{ id: 'u1', name: 'Ada' }] } },
    },
    {
      title: 'passes an input object given in a variable to the other subgraph',
      query: 'query ($f: UsersFilter!) { usersInB(filter: $f) { id } }',
      variables: { f: { first: 2 } },
      expected: { data: { usersInB: [{ id: 'u1' }, { id: 'u2' }] } },
    },
    {
      title: 'rejects an input field that only one subgraph defines, in a literal',
      query: '{ usersInA(filter: { first: 1, offset: 2 }) { id } }',
      expected: { data: undefined, errors: [{ message: /offset/ }] },
    },
    {
      title: 'rejects it also on the field of the subgraph that defines it',
      query: '{ usersInB(filter: { first: 1, offset: 2 }) { id } }',
      expected: { data: undefined, errors: [{ message: /offset/ }] },
    },
    {
      title: 'rejects it in a variable value',
      query: 'query ($f: UsersFilter!) { usersInB(filter: $f) { id } }',
      variables: { f: { first: 1, offset: 1 } },
      expected: { data: undefined, errors: [{ message: /offset/ }] },
    },
  ],
};
