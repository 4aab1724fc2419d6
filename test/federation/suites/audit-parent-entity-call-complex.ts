// Follows the federation-gateway-audit suite "parent-entity-call-complex".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products: Record<string, { id: string; name: string; categoryId: string }> = {
  '1': { id: '1', name: 'Product#1', categoryId: '3' },
  '2': { id: '2', name: 'Product#2', categoryId: '4' },
};

/**
 * One shareable field (Product.category) whose sub-fields each come from somewhere else: details from a subgraph
 * where Category is a value type, id from one where it is an entity, name from a third by the Category key.
 */
export const auditParentEntityCallComplexSuite: FederationSuite = {
  name: 'audit: sub-fields of one shareable field from three subgraphs',
  subgraphs: {
    entry: {
      typeDefs: `${link('@key')}
        type Query { productFromD(id: ID!): Product }
        type Product @key(fields: "id") { id: ID! name: String }`,
      resolvers: {
        Query: { productFromD: (_: unknown, args: { id: string }) => products[args.id] ?? null },
        Product: { __resolveReference: (ref: { id: string }) => products[ref.id] ?? null },
      },
    },
    details: {
      typeDefs: `${link('@key', '@shareable')}
        type Product @key(fields: "id") { id: ID! category: Category @shareable }
        type Category { details: String }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id, category: { details: `Details for Product#${ref.id}` } }),
        },
      },
    },
    links: {
      typeDefs: `${link('@key', '@shareable')}
        type Product @key(fields: "id") { id: ID! category: Category @shareable }
        type Category @key(fields: "id") { id: ID }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: { id: string }) => {
            const product = products[ref.id];
            return product ? { id: product.id, category: { id: product.categoryId } } : null;
          },
        },
      },
    },
    names: {
      typeDefs: `${link('@key')}
        type Category @key(fields: "id") { id: ID name: String }`,
      resolvers: { Category: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `Category#${ref.id}` }) } },
    },
  },
  cases: [
    {
      title: 'assembles one object from a value-type field, an entity key from another subgraph and a field fetched by that key',
      query: '{ productFromD(id: "1") { id name category { id name details } } }',
      expected: { data: { productFromD: { id: '1', name: 'Product#1', category: { id: '3', name: 'Category#3', details: 'Details for Product#1' } } } },
    },
    {
      title: 'fetches a category field by a key that only another subgraph\'s parent entity can give',
      query: '{ productFromD(id: "2") { category { name } } }',
      expected: { data: { productFromD: { category: { name: 'Category#4' } } } },
    },
    {
      title: 'fetches only the value-type sub-field through its parent entity',
      query: '{ productFromD(id: "2") { name category { details } } }',
      expected: { data: { productFromD: { name: 'Product#2', category: { details: 'Details for Product#2' } } } },
    },
  ],
};
