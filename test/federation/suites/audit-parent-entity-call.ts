// Follows the federation-gateway-audit suite "parent-entity-call".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { id: 'p1', pid: 'x1', categoryId: 'c1' },
  { id: 'p2', pid: 'x2', categoryId: 'c2' },
  { id: 'p3', pid: 'x3', categoryId: 'c1' },
];
const categories = [
  { id: 'c1', name: 'Kitchen', details: { products: 2 } },
  { id: 'c2', name: 'Garden', details: { products: 1 } },
];
type Key = { id: string; pid?: string };
const findProduct = (key: Key) => products.find((p) => p.id === key.id && (key.pid === undefined || p.pid === key.pid)) ?? null;
const categoryOf = (p: { categoryId: string }) => categories.find((c) => c.id === p.categoryId) ?? null;

/**
 * A field of a value type that only one subgraph knows (Category.details, Category has no key there):
 * the gateway must reach it through the parent entity (Product) of that subgraph.
 */
export const auditParentEntityCallSuite: FederationSuite = {
  name: 'audit: value-type fields reached through the parent entity',
  subgraphs: {
    catalog: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { products: [Product!]! }
        type Product @key(fields: "id") @key(fields: "id pid") { id: ID! pid: ID! category: Category @shareable }
        type Category @key(fields: "id") { id: ID! name: String! @shareable }`,
      resolvers: {
        Query: { products: () => products },
        Product: { __resolveReference: findProduct, category: categoryOf },
        Category: { __resolveReference: (key: { id: string }) => categories.find((c) => c.id === key.id) ?? null },
      },
    },
    listing: {
      typeDefs: `${link('@key', '@shareable')}
        type Product @key(fields: "id pid") { id: ID! pid: ID! category: Category @shareable }
        type Category @key(fields: "id") { id: ID! name: String! @shareable }`,
      resolvers: {
        Product: { __resolveReference: findProduct, category: categoryOf },
        Category: { __resolveReference: (key: { id: string }) => categories.find((c) => c.id === key.id) ?? null },
      },
    },
    stats: {
      typeDefs: `${link('@key', '@shareable')}
        type Category { details: CategoryDetails }
        type Product @key(fields: "id pid") { id: ID! pid: ID! category: Category @shareable }
        type CategoryDetails { products: Int }`,
      resolvers: {
        Product: {
          __resolveReference: (key: Key) => {
            if (key.pid === undefined) throw new Error('expected the "id pid" key');
            return findProduct(key);
          },
          category: (p: { categoryId: string }) => {
            const category = categoryOf(p);
            return category && { details: category.details };
          },
        },
      },
    },
  },
  cases: [
    {
      title: 'fetches a value-type field through its parent entity, merging it with the entity fields of the category',
      query: '{ products { id category { id details { products } } } }',
      expected: {
        data: {
          products: [
            { id: 'p1', category: { id: 'c1', details: { products: 2 } } },
            { id: 'p2', category: { id: 'c2', details: { products: 1 } } },
            { id: 'p3', category: { id: 'c1', details: { products: 2 } } },
          ],
        },
      },
    },
    {
      title: 'fetches only the value-type field of a shareable parent field through the entity call',
      query: '{ products { category { details { products } name } } }',
      expected: {
        data: {
          products: [
            { category: { details: { products: 2 }, name: 'Kitchen' } },
            { category: { details: { products: 1 }, name: 'Garden' } },
            { category: { details: { products: 2 }, name: 'Kitchen' } },
          ],
        },
      },
    },
  ],
};
