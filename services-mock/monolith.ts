/**
 * The bench baseline: one yoga server holding the whole demo graph and its data in-process, i.e.
 * what the four services would be without a gateway. `tsx services-mock/monolith.ts --port 0`
 * prints {"url"} once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createSchema, createYoga } from 'graphql-yoga';
import { orders, products, productsBySales, reviews, users, type Order, type OrderLine, type Product, type Review, type User } from './data.js';

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

const userById = new Map(users.map((u) => [u.id, u]));
const productById = new Map(products.map((p) => [p.id, p]));
const reviewsByProduct = groupBy(reviews, (r) => r.productId);
const reviewsByAuthor = groupBy(reviews, (r) => r.authorId);
const ordersByUser = groupBy(orders, (o) => o.userId);
const clamp = (n: number) => Math.max(0, Math.min(n, 100));

export const monolithSchema = createSchema({
  typeDefs: /* GraphQL */ `
    type User { id: ID! username: String! name: String! email: String! reviews: [Review!]! orders: [Order!]! }
    type Product { id: ID! name: String! price: Float! reviews: [Review!]! averageRating: Float }
    type Review { id: ID! rating: Int! body: String! author: User! product: Product! }
    type Order { id: ID! userId: ID! placedAt: String! total: Float! lines: [OrderLine!]! }
    type OrderLine { quantity: Int! unitPrice: Float! product: Product! }
    type Query {
      topProducts(first: Int = 5): [Product!]!
      product(id: ID!): Product
      user(id: ID!): User
      users(first: Int = 10): [User!]!
      review(id: ID!): Review
      order(id: ID!): Order
    }
  `,
  resolvers: {
    Query: {
      topProducts: (_: unknown, { first }: { first: number }) => productsBySales.slice(0, clamp(first)),
      product: (_: unknown, { id }: { id: string }) => productById.get(id) ?? null,
      user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null,
      users: (_: unknown, { first }: { first: number }) => users.slice(0, clamp(first)),
      review: (_: unknown, { id }: { id: string }) => reviews.find((r) => r.id === id) ?? null,
      order: (_: unknown, { id }: { id: string }) => orders.find((o) => o.id === id) ?? null,
    },
    User: {
      reviews: (u: User) => reviewsByAuthor.get(u.id) ?? [],
      orders: (u: User) => ordersByUser.get(u.id) ?? [],
    },
    Product: {
      reviews: (p: Product) => reviewsByProduct.get(p.id) ?? [],
      averageRating: (p: Product) => {
        const list = reviewsByProduct.get(p.id) ?? [];
        return list.length ? Math.round((list.reduce((s, r) => s + r.rating, 0) / list.length) * 10) / 10 : null;
      },
    },
    Review: {
      author: (r: Review) => userById.get(r.authorId),
      product: (r: Review) => productById.get(r.productId),
    },
    Order: { lines: (o: Order) => o.lines },
    OrderLine: { product: (l: OrderLine) => productById.get(l.productId) },
  },
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
  const yoga = createYoga({ schema: monolithSchema, graphiql: false, landingPage: false, logging: false });
  const server = createServer(yoga);
  server.listen(Number(values.port), '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
