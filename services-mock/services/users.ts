import { users } from '../data.js';
import { createGraphQLHandler } from './graphql-handler.js';

const byId = new Map(users.map((u) => [u.id, u]));

export const usersTypeDefs = /* GraphQL */ `
  type User { id: ID! username: String! name: String! email: String! }
  type Query {
    user(id: ID!): User
    users(first: Int = 10): [User!]!
    usersByIds(ids: [ID!]!): [User]!
  }
`;

export const createUsersHandler = () =>
  createGraphQLHandler(usersTypeDefs, {
    Query: {
      user: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
      users: (_: unknown, { first }: { first: number }) => users.slice(0, Math.max(0, Math.min(first, 100))),
      usersByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => byId.get(id) ?? null),
    },
  });
