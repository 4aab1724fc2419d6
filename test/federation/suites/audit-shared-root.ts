// Follows the federation-gateway-audit suite "shared-root".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const product = { id: '1', name: 'Product 1', category: 'Category 1', price: 100 };

/** Three subgraphs share the root fields and a type without a key: each field can only come from its own subgraph's root. */
export const auditSharedRootSuite: FederationSuite = {
  name: 'audit: shared root fields over a type without a key',
  subgraphs: {
    names: {
      typeDefs: `${link('@shareable')}
        type Query { product: Product! @shareable products: [Product!]! @shareable }
        type Product { id: ID! @shareable name: String! }`,
      resolvers: { Query: { product: () => ({ id: product.id, name: product.name }), products: () => [{ id: product.id, name: product.name }] } },
    },
    categories: {
      typeDefs: `${link('@shareable')}
        type Query { product: Product! @shareable products: [Product!]! @shareable }
        type Product { id: ID! @shareable category: String! }`,
      resolvers: {
        Query: { product: () => ({ id: product.id, category: product.category }), products: () => [{ id: product.id, category: product.category }] },
      },
    },
    prices: {
      typeDefs: `${link('@shareable')}
        type Query { product: Product! @shareable products: [Product!]! @shareable }
        type Product { id: ID! @shareable price: Float! }`,
      resolvers: { Query: { product: () => ({ id: product.id, price: product.price }), products: () => [{ id: product.id, price: product.price }] } },
    },
  },
  cases: [
    {
      title: 'asks every subgraph\'s shared root field for the fields only that subgraph has',
      query: '{ product { id name category price } }',
      expected: { data: { product: { id: '1', name: 'Product 1', category: 'Category 1', price: 100 } } },
      calls: { names: 1, categories: 1, prices: 1 },
    },
    {
      title: 'merges lists from shared root fields item by item',
      query: '{ products { id name category price } }',
      expected: { data: { products: [{ id: '1', name: 'Product 1', category: 'Category 1', price: 100 }] } },
      calls: { names: 1, categories: 1, prices: 1 },
    },
    {
      title: 'asks only the subgraphs whose fields are selected',
      query: '{ product { price name } }',
      expected: { data: { product: { price: 100, name: 'Product 1' } } },
      calls: { names: 1, categories: 0, prices: 1 },
    },
  ],
};
