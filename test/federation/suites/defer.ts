import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

/**
 * @defer: the graphql-tools engine (without yoga's defer-stream plugin) has no @defer directive, so
 * such queries are rejected by validation before any subgraph is called. Clients get a clear error.
 */
export const deferSuite: FederationSuite = {
  name: '@defer',
  subgraphs: {
    catalog: {
      typeDefs: `${link('@key')}
        type Query { products: [Product!]! }
        type Product @key(fields: "id") { id: ID! name: String! }`,
      resolvers: { Query: { products: () => [{ id: 'p1', name: 'Lamp' }] } },
    },
    stock: {
      typeDefs: `${link('@key')}
        type Product @key(fields: "id") { id: ID! stock: Int! }`,
      resolvers: { Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, stock: 2 }) } },
    },
  },
  cases: [
    {
      title: 'rejects a query using @defer with a validation error and calls no subgraph',
      query: '{ products { name ... @defer { stock } } }',
      expected: { data: undefined, errors: [{ message: 'Unknown directive "@defer".' }] },
      calls: { catalog: 0, stock: 0 },
    },
  ],
};
