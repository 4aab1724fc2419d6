import { reviews, type Review } from '../data.js';
import { createGraphQLHandler } from './graphql-handler.js';

const byId = new Map(reviews.map((r) => [r.id, r]));
const group = (key: (r: Review) => string) => {
  const map = new Map<string, Review[]>();
  for (const review of reviews) map.set(key(review), [...(map.get(key(review)) ?? []), review]);
  return map;
};
const byProduct = group((r) => r.productId);
const byAuthor = group((r) => r.authorId);

/** Reviews extends User and Product (owned by other services) with their reviews. */
export const reviewsTypeDefs = /* GraphQL */ `
  type Review { id: ID! rating: Int! body: String! author: User! product: Product! }
  type User { id: ID! reviews: [Review!]! }
  type Product { id: ID! reviews: [Review!]! averageRating: Float }
  type Query {
    review(id: ID!): Review
    _usersByIds(ids: [ID!]!): [User]!
    _productsByIds(ids: [ID!]!): [Product]!
  }
`;

export const createReviewsHandler = () =>
  createGraphQLHandler(reviewsTypeDefs, {
    Query: {
      review: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
      _usersByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })),
      _productsByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })),
    },
    Review: {
      author: (review: Review) => ({ id: review.authorId }),
      product: (review: Review) => ({ id: review.productId }),
    },
    User: { reviews: (user: { id: string }) => byAuthor.get(user.id) ?? [] },
    Product: {
      reviews: (product: { id: string }) => byProduct.get(product.id) ?? [],
      averageRating: (product: { id: string }) => {
        const list = byProduct.get(product.id) ?? [];
        return list.length ? Math.round((list.reduce((s, r) => s + r.rating, 0) / list.length) * 10) / 10 : null;
      },
    },
  });
