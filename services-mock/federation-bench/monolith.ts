/**
 * Baseline of the federation benchmark: the four subgraphs' schema and data in one yoga server, no
 * gateway. Its answers are computed straight from data.ts, so they are also the expected JSON the
 * gateways are checked against. `tsx services-mock/federation-bench/monolith.ts --port 0` prints {"url"}.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createSchema, createYoga } from 'graphql-yoga';
import { benchInventory, benchProducts, benchReviews, benchUsers, shippingEstimate, type BenchProduct, type BenchReview, type BenchUser } from './data.js';

const userById = new Map(benchUsers.map((u) => [u.id, u]));
const productByUpc = new Map(benchProducts.map((p) => [p.upc, p]));
const inStockByUpc = new Map(benchInventory.map((i) => [i.upc, i.inStock]));
const reviewsBy = (key: (r: BenchReview) => string, value: string) => benchReviews.filter((r) => key(r) === value);

export const federationMonolithSchema = createSchema({
  typeDefs: /* GraphQL */ `
    type User { id: ID! name: String username: String birthday: Int reviews: [Review] }
    type Product { upc: String! name: String price: Int weight: Int inStock: Boolean shippingEstimate: Int reviews: [Review] }
    type Review { id: ID! body: String author: User product: Product }
    type Query { me: User users: [User] user(id: ID!): User topProducts(first: Int = 5): [Product] }
  `,
  resolvers: {
    Query: {
      me: () => benchUsers[0],
      users: () => benchUsers,
      user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null,
      topProducts: (_: unknown, { first }: { first: number }) => benchProducts.slice(0, Math.max(0, Math.min(first, benchProducts.length))),
    },
    User: { reviews: (u: BenchUser) => reviewsBy((r) => r.authorId, u.id) },
    Product: {
      inStock: (p: BenchProduct) => inStockByUpc.get(p.upc) ?? false,
      shippingEstimate: (p: BenchProduct) => shippingEstimate(p.price, p.weight),
      reviews: (p: BenchProduct) => reviewsBy((r) => r.productUpc, p.upc),
    },
    Review: {
      author: (r: BenchReview) => userById.get(r.authorId),
      product: (r: BenchReview) => productByUpc.get(r.productUpc),
    },
  },
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
  const yoga = createYoga({ schema: federationMonolithSchema, graphiql: false, landingPage: false, logging: false });
  const server = createServer(yoga);
  server.listen(Number(values.port), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
