import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { upc: '1', name: 'Table', price: 899, weight: 20, dimensions: { size: 'large', weight: 20 } },
  { upc: '2', name: 'Couch', price: 1299, weight: 50, dimensions: { size: 'xl', weight: 50 } },
];

type Ref = { upc: string; price?: number; weight?: number; dimensions?: { size?: string } };
const need = <T>(value: T | undefined, what: string): T => {
  // Only what the gateway sent: a missing @requires field is an error, not a plausible guess.
  if (value === undefined) throw new Error(`${what} was not sent`);
  return value;
};

/** @requires and @external: the gateway fetches the required fields first and sends them in the representations. */
export const requiresSuite: FederationSuite = {
  name: '@requires / @external',
  subgraphs: {
    products: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { products: [Product!]! }
        type Product @key(fields: "upc") { upc: String! name: String! price: Int! weight: Int! dimensions: Dimensions! }
        type Dimensions @shareable { size: String! weight: Int! }`,
      resolvers: {
        Query: { products: () => products },
        Product: { __resolveReference: (ref: Ref) => products.find((p) => p.upc === ref.upc) ?? null },
      },
    },
    shipping: {
      typeDefs: `${link('@key', '@external', '@requires', '@shareable')}
        type Product @key(fields: "upc") {
          upc: String!
          price: Int! @external
          weight: Int! @external
          dimensions: Dimensions! @external
          shippingEstimate: Int! @requires(fields: "price weight")
          packaging: String! @requires(fields: "dimensions { size }")
        }
        type Dimensions @shareable { size: String! weight: Int! }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: Ref) => ref,
          shippingEstimate: (ref: Ref) => (need(ref.price, 'price') > 1000 ? 0 : need(ref.weight, 'weight') * 10),
          packaging: (ref: Ref) => `box-${need(ref.dimensions?.size, 'dimensions.size')}`,
        },
      },
    },
  },
  cases: [
    {
      title: 'computes a @requires field from the fields fetched from their owner and sent in the representation',
      query: '{ products { upc shippingEstimate } }',
      expected: { data: { products: [{ upc: '1', shippingEstimate: 200 }, { upc: '2', shippingEstimate: 0 }] } },
      calls: { products: 1, shipping: 1 },
    },
    {
      title: 'returns the required fields too when the client also asked for them',
      query: '{ products { shippingEstimate price weight } }',
      expected: { data: { products: [{ shippingEstimate: 200, price: 899, weight: 20 }, { shippingEstimate: 0, price: 1299, weight: 50 }] } },
      calls: { products: 1, shipping: 1 },
    },
    {
      title: 'sends a nested @requires selection (dimensions { size }) to the requiring subgraph',
      query: '{ products { name packaging } }',
      expected: { data: { products: [{ name: 'Table', packaging: 'box-large' }, { name: 'Couch', packaging: 'box-xl' }] } },
      calls: { products: 1, shipping: 1 },
    },
    {
      title: 'never asks the subgraph that marks a field @external for that field',
      query: '{ products { price dimensions { size } } }',
      expected: { data: { products: [{ price: 899, dimensions: { size: 'large' } }, { price: 1299, dimensions: { size: 'xl' } }] } },
      calls: { products: 1, shipping: 0 },
    },
  ],
};
