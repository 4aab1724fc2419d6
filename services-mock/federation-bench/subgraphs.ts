import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { RequestHandler } from '../mock-server.js';
import { benchInventory, benchProducts, benchReviews, benchUsers, shippingEstimate, type BenchReview } from './data.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])';

const userById = new Map(benchUsers.map((u) => [u.id, u]));
const productByUpc = new Map(benchProducts.map((p) => [p.upc, p]));
const inventoryByUpc = new Map(benchInventory.map((i) => [i.upc, i]));
const reviewById = new Map(benchReviews.map((r) => [r.id, r]));
const group = <T>(items: T[], key: (item: T) => string) => {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
};
const reviewsByAuthor = group(benchReviews, (r) => r.authorId);
const reviewsByProduct = group(benchReviews, (r) => r.productUpc);

export const subgraphTypeDefs = {
  accounts: `${LINK}
    type Query { me: User users: [User] user(id: ID!): User }
    type User @key(fields: "id") { id: ID! name: String username: String @shareable birthday: Int }`,
  inventory: `${LINK}
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  products: `${LINK}
    type Query { topProducts(first: Int = 5): [Product] }
    type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
  reviews: `${LINK}
    type Review @key(fields: "id") { id: ID! body: String author: User @provides(fields: "username") product: Product }
    type User @key(fields: "id") { id: ID! username: String @external reviews: [Review] }
    type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
};

type Ref = Record<string, unknown>;

export const subgraphResolvers = {
  accounts: {
    Query: { me: () => benchUsers[0], users: () => benchUsers, user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null },
    User: { __resolveReference: (ref: Ref) => userById.get(String(ref['id'])) ?? null },
  },
  inventory: {
    Product: {
      __resolveReference: (ref: Ref) => ({ ...ref, inStock: inventoryByUpc.get(String(ref['upc']))?.inStock ?? false }),
      // Computed from what the gateway sent under @requires, not looked up: a wrong plan gives a wrong answer.
      shippingEstimate: (ref: Ref) => (typeof ref['price'] === 'number' && typeof ref['weight'] === 'number' ? shippingEstimate(ref['price'], ref['weight']) : null),
    },
  },
  products: {
    Query: { topProducts: (_: unknown, { first }: { first: number }) => benchProducts.slice(0, Math.max(0, Math.min(first, benchProducts.length))) },
    Product: { __resolveReference: (ref: Ref) => productByUpc.get(String(ref['upc'])) ?? null },
  },
  reviews: {
    Review: {
      __resolveReference: (ref: Ref) => reviewById.get(String(ref['id'])) ?? null,
      author: (review: BenchReview) => ({ id: review.authorId, username: userById.get(review.authorId)?.username }),
      product: (review: BenchReview) => ({ upc: review.productUpc }),
    },
    User: {
      __resolveReference: (ref: Ref) => ({ id: ref['id'] }),
      reviews: (user: { id: string }) => reviewsByAuthor.get(user.id) ?? [],
    },
    Product: {
      __resolveReference: (ref: Ref) => ({ upc: ref['upc'] }),
      reviews: (product: { upc: string }) => reviewsByProduct.get(product.upc) ?? [],
    },
  },
};

export type BenchSubgraph = keyof typeof subgraphTypeDefs;

function handler(name: BenchSubgraph): RequestHandler {
  const schema = buildSubgraphSchema({ typeDefs: parse(subgraphTypeDefs[name]), resolvers: subgraphResolvers[name] as never });
  const yoga = createYoga({ schema, graphiql: false, landingPage: false, logging: false });
  return (req, res) => yoga(req, res);
}

/** Mock-service factories, registered under `fed-<name>` for services-mock/replica.ts. */
export const federationBenchServices: Record<string, () => RequestHandler> = {
  'fed-accounts': () => handler('accounts'),
  'fed-inventory': () => handler('inventory'),
  'fed-products': () => handler('products'),
  'fed-reviews': () => handler('reviews'),
};
