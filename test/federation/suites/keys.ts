import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { id: 'p1', sku: 'KETTLE', region: 'eu', name: 'Kettle' },
  { id: 'p2', sku: 'KETTLE', region: 'us', name: 'Kettle (US plug)' },
];
const prices: Record<string, number> = { 'KETTLE:eu': 30, 'KETTLE:us': 35 };
const stock: Record<string, number> = { p1: 4, p2: 0 };

/** @key: several keys on one type, a compound key, and `resolvable: false`. */
export const keysSuite: FederationSuite = {
  name: '@key',
  subgraphs: {
    catalog: {
      typeDefs: `${link('@key')}
        type Query { products: [Product!]! }
        type Product @key(fields: "id") @key(fields: "sku region") { id: ID! sku: String! region: String! name: String! }`,
      resolvers: {
        Query: { products: () => products },
        Product: { __resolveReference: (ref: { id?: string; sku?: string; region?: string }) => products.find((p) => p.id === ref.id || (p.sku === ref.sku && p.region === ref.region)) ?? null },
      },
    },
    pricing: {
      // Knows products only by the compound key.
      typeDefs: `${link('@key')}
        type Product @key(fields: "sku region") { sku: String! region: String! price: Int! }`,
      resolvers: { Product: { __resolveReference: (ref: { sku: string; region: string }) => ({ ...ref, price: prices[`${ref.sku}:${ref.region}`] }) } },
    },
    stock: {
      typeDefs: `${link('@key')}
        type Product @key(fields: "id") { id: ID! stock: Int! }`,
      resolvers: { Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, stock: stock[ref.id] }) } },
    },
    reviews: {
      // Refers to products but cannot be asked for them: @key(resolvable: false).
      typeDefs: `${link('@key')}
        type Query { topReview: Review }
        type Review { id: ID! body: String! product: Product! }
        type Product @key(fields: "id", resolvable: false) { id: ID! }`,
      resolvers: { Query: { topReview: () => ({ id: 'r1', body: 'Boils fast', product: { id: 'p2' } }) } },
    },
  },
  cases: [
    {
      title: 'fetches a field from a subgraph that knows the type only by a compound key, sending both key fields',
      query: '{ products { id name price } }',
      expected: { data: { products: [{ id: 'p1', name: 'Kettle', price: 30 }, { id: 'p2', name: 'Kettle (US plug)', price: 35 }] } },
      calls: { catalog: 1, pricing: 1, stock: 0, reviews: 0 },
    },
    {
      title: 'uses whichever of several keys the target subgraph declares',
      query: '{ products { sku stock } }',
      expected: { data: { products: [{ sku: 'KETTLE', stock: 4 }, { sku: 'KETTLE', stock: 0 }] } },
      calls: { catalog: 1, pricing: 0, stock: 1 },
    },
    {
      title: 'resolves a resolvable:false reference through the subgraphs that can resolve it, chaining keys',
      query: '{ topReview { body product { id name price stock } } }',
      expected: { data: { topReview: { body: 'Boils fast', product: { id: 'p2', name: 'Kettle (US plug)', price: 35, stock: 0 } } } },
      calls: { reviews: 1, catalog: 1, pricing: 1, stock: 1 },
    },
    {
      title: 'answers the key field of a resolvable:false reference without any entity fetch',
      query: '{ topReview { product { id } } }',
      expected: { data: { topReview: { product: { id: 'p2' } } } },
      calls: { reviews: 1, catalog: 0, pricing: 0, stock: 0 },
    },
  ],
};
