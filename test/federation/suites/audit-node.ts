// Follows the federation-gateway-audit suite "node".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [{ id: 'p-1', name: 'Product 1', price: 10 }];
const categories = [{ id: 'pc-1', name: 'Category 1' }];
const byTypename = (o: { __typename: string }) => o.__typename;
const idOnly = (list: Array<{ id: string }>) => (ref: { id: string }) => (list.some((x) => x.id === ref.id) ? { id: ref.id } : null);

/** A Relay-style Node interface that several subgraphs implement: a node returned by one subgraph gets its fields from another. */
export const auditNodeSuite: FederationSuite = {
  name: 'audit: Node interface across subgraphs',
  subgraphs: {
    nodes: {
      typeDefs: `${link('@key')}
        type Query { productNode: Node categoryNode: Node }
        interface Node { id: ID! }
        type Product implements Node @key(fields: "id") { id: ID! }
        type Category implements Node @key(fields: "id") { id: ID! }`,
      resolvers: {
        Query: { productNode: () => ({ __typename: 'Product', id: products[0]!.id }), categoryNode: () => ({ __typename: 'Category', id: categories[0]!.id }) },
        Node: { __resolveType: byTypename },
        Product: { __resolveReference: idOnly(products) },
        Category: { __resolveReference: idOnly(categories) },
      },
    },
    types: {
      typeDefs: `${link('@key', '@shareable')}
        interface Node { id: ID! }
        type Product implements Node @key(fields: "id") @shareable { id: ID! name: String! price: Float! }
        type Category implements Node @key(fields: "id") { id: ID! name: String! }`,
      resolvers: {
        Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
        Category: { __resolveReference: (ref: { id: string }) => categories.find((c) => c.id === ref.id) ?? null },
      },
    },
    mirror: {
      // Implements Node too, knowing nothing but ids.
      typeDefs: `${link('@key')}
        interface Node { id: ID! }
        type Product implements Node @key(fields: "id") { id: ID! }
        type Category implements Node @key(fields: "id") { id: ID! }`,
      resolvers: { Product: { __resolveReference: idOnly(products) }, Category: { __resolveReference: idOnly(categories) } },
    },
  },
  cases: [
    {
      title: 'fetches the fields of a node\'s concrete type from the subgraph that has them',
      query: '{ productNode { ... on Product { id name __typename price } } }',
      expected: { data: { productNode: { id: 'p-1', name: 'Product 1', __typename: 'Product', price: 10 } } },
    },
    {
      title: 'applies only the fragment of the node\'s own type',
      query: '{ categoryNode { id __typename ... on Product { price } ... on Category { name } } }',
      expected: { data: { categoryNode: { id: 'pc-1', __typename: 'Category', name: 'Category 1' } } },
    },
    {
      title: 'serves interface fields of nodes without any entity fetch',
      query: '{ productNode { id } categoryNode { id } }',
      expected: { data: { productNode: { id: 'p-1' }, categoryNode: { id: 'pc-1' } } },
      calls: { nodes: 1, types: 0, mirror: 0 },
    },
  ],
};
