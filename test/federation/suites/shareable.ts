import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = [
  { id: 'p1', name: 'Lamp', price: { amount: 20, currency: 'EUR' } },
  { id: 'p2', name: 'Mug', price: { amount: 5, currency: 'EUR' } },
];

/** @shareable: fields and value types several subgraphs resolve; a shareable root field. */
export const shareableSuite: FederationSuite = {
  name: '@shareable',
  subgraphs: {
    catalog: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { products: [Product!]! shop: Shop @shareable }
        type Shop @shareable { name: String! }
        type Product @key(fields: "id") { id: ID! name: String! @shareable price: Money! @shareable }
        type Money @shareable { amount: Int! currency: String! }`,
      resolvers: {
        Query: { products: () => products, shop: () => ({ name: 'Corner shop' }) },
        Product: { __resolveReference: (ref: { id: string }) => products.find((p) => p.id === ref.id) ?? null },
      },
    },
    promotions: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { featured: Product shop: Shop @shareable }
        type Shop @shareable { name: String! }
        type Product @key(fields: "id") { id: ID! name: String! @shareable price: Money! @shareable discount: Int! }
        type Money @shareable { amount: Int! currency: String! }`,
      resolvers: {
        Query: { featured: () => ({ ...products[1], discount: 10 }), shop: () => ({ name: 'Corner shop' }) },
        Product: { __resolveReference: (ref: { id: string }) => ({ ...products.find((p) => p.id === ref.id), discount: ref.id === 'p1' ? 0 : 10 }) },
      },
    },
  },
  cases: [
    {
      title: 'resolves shareable fields from the subgraph already being queried, without a second fetch',
      query: '{ featured { name price { amount currency } discount } }',
      expected: { data: { featured: { name: 'Mug', price: { amount: 5, currency: 'EUR' }, discount: 10 } } },
      calls: { promotions: 1, catalog: 0 },
    },
    {
      title: 'resolves the same shareable fields from the other subgraph on its own paths',
      query: '{ products { name price { amount } } }',
      expected: { data: { products: [{ name: 'Lamp', price: { amount: 20 } }, { name: 'Mug', price: { amount: 5 } }] } },
      calls: { catalog: 1, promotions: 0 },
    },
    {
      title: 'answers a shareable root field with one call to one of the subgraphs defining it',
      query: '{ shop { name } }',
      expected: { data: { shop: { name: 'Corner shop' } } },
    },
  ],
};
