import { products, productsBySales } from '../data.js';
import { createGraphQLHandler } from './graphql-handler.js';

const byId = new Map(products.map((p) => [p.id, p]));

export const productsTypeDefs = /* GraphQL */ `
  type Product { id: ID! name: String! price: Float! }
  type Query {
    topProducts(first: Int = 5): [Product!]!
    product(id: ID!): Product
    productsByIds(ids: [ID!]!): [Product]!
  }
`;

export const createProductsHandler = () =>
  createGraphQLHandler(productsTypeDefs, {
    Query: {
      topProducts: (_: unknown, { first }: { first: number }) => productsBySales.slice(0, Math.max(0, Math.min(first, 100))),
      product: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
      productsByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => byId.get(id) ?? null),
    },
  });
