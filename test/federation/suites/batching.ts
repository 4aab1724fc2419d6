import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const products = Array.from({ length: 60 }, (_, i) => ({ id: `p${i + 1}` }));
const reviewsOf = (productId: string) => [1, 2].map((n) => ({ id: `${productId}-r${n}`, authorId: `u${(Number(productId.slice(1)) + n) % 7}` }));

/** Entity fetches are batched: one request per subgraph per plan step, whatever the list sizes. */
export const batchingSuite: FederationSuite = {
  name: 'entity batching',
  subgraphs: {
    products: {
      typeDefs: `${link('@key')}
        type Query { products(first: Int!): [Product!]! }
        type Product @key(fields: "id") { id: ID! name: String! }`,
      resolvers: {
        Query: { products: (_: unknown, { first }: { first: number }) => products.slice(0, first).map((p) => ({ ...p, name: `Product ${p.id}` })) },
        Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `Product ${ref.id}` }) },
      },
    },
    reviews: {
      typeDefs: `${link('@key')}
        type Product @key(fields: "id") { id: ID! reviews: [Review!]! reviewCount: Int! }
        type Review { id: ID! author: User! }
        type User @key(fields: "id") { id: ID! }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: { id: string }) => ref,
          reviews: (p: { id: string }) => reviewsOf(p.id).map((r) => ({ id: r.id, author: { id: r.authorId } })),
          reviewCount: () => 2,
        },
      },
    },
    accounts: {
      typeDefs: `${link('@key')}
        type User @key(fields: "id") { id: ID! name: String! }`,
      resolvers: { User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `Name of ${ref.id}` }) } },
    },
  },
  cases: [
    {
      title: 'fetches one product\'s reviews and their authors with one request per subgraph',
      query: '{ products(first: 1) { name reviews { author { name } } } }',
      expected: { data: { products: [{ name: 'Product p1', reviews: reviewsOf('p1').map((r) => ({ author: { name: `Name of ${r.authorId}` } })) }] } },
      calls: { products: 1, reviews: 1, accounts: 1 },
    },
    {
      title: 'fetches 50 products\' reviews and their authors with still one request per subgraph',
      query: '{ products(first: 50) { name reviews { author { name } } } }',
      expected: {
        data: { products: products.slice(0, 50).map((p) => ({ name: `Product ${p.id}`, reviews: reviewsOf(p.id).map((r) => ({ author: { name: `Name of ${r.authorId}` } })) })) },
      },
      calls: { products: 1, reviews: 1, accounts: 1 },
    },
    {
      title: 'fetches several fields of one subgraph for the same entities in one request',
      query: '{ products(first: 20) { reviewCount reviews { id } } }',
      expected: { data: { products: products.slice(0, 20).map((p) => ({ reviewCount: 2, reviews: reviewsOf(p.id).map((r) => ({ id: r.id })) })) } },
      calls: { products: 1, reviews: 1, accounts: 0 },
    },
  ],
};
