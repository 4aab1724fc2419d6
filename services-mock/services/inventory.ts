import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { RequestHandler } from '../mock-server.js';

/**
 * The demo's Apollo Federation v2 subgraph. It extends `Product`, which the stitched `products`
 * service owns: the gateway sends it `{ __typename, id, price }` representations, `price` coming from
 * `products` because of `@requires`.
 */
export const inventoryTypeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

  type Product @key(fields: "id") {
    id: ID!
    price: Float! @external
    "Units in the warehouse."
    stock: Int!
    inStock: Boolean!
    "Shipping cost for this product: free from 50, else 4.99. Computed from the price the gateway sends."
    shippingEstimate: Float! @requires(fields: "price")
  }
`;

/** Units in stock of a product: a fixed function of its id, so tests can compute it. */
export function stockOf(productId: string): number {
  return (Number(productId) * 7) % 5;
}

export function shippingEstimateFor(price: number): number {
  return price >= 50 ? 0 : 4.99;
}

type Representation = { id: string; price?: number };

export const createInventoryHandler = (): RequestHandler => {
  const schema = buildSubgraphSchema({
    typeDefs: parse(inventoryTypeDefs),
    resolvers: {
      Product: {
        __resolveReference: (ref: Representation) => ({ ...ref, stock: stockOf(ref.id), inStock: stockOf(ref.id) > 0 }),
        // Only the price the gateway sent: a wrong plan yields an error, not a plausible number.
        shippingEstimate: (ref: Representation) => {
          if (typeof ref.price !== 'number') throw new Error('price was not provided');
          return shippingEstimateFor(ref.price);
        },
      },
    } as never,
  });
  const yoga = createYoga({ schema, graphiql: false, landingPage: false, logging: false });
  return (req, res) => yoga(req, res);
};
