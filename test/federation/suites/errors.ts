import { GraphQLError } from 'graphql';
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const users = ['u1', 'u2', 'u3'].map((id, i) => ({ id, name: `User ${i + 1}` }));

/** Nullability and error propagation across entity fetches, as graphql-js would within one service. */
export const errorPropagationSuite: FederationSuite = {
  name: 'nullability and error propagation',
  subgraphs: {
    accounts: {
      typeDefs: `${link('@key')}
        type Query { users: [User]! strictUsers: [User!] }
        type User @key(fields: "id") { id: ID! name: String! }`,
      resolvers: { Query: { users: () => users, strictUsers: () => users } },
    },
    profiles: {
      typeDefs: `${link('@key')}
        type User @key(fields: "id") { id: ID! email: String! nickname: String }`,
      resolvers: {
        User: {
          __resolveReference: (ref: { id: string }) => ref,
          email: (u: { id: string }) => {
            if (u.id === 'u2') throw new GraphQLError('email hidden', { extensions: { code: 'FORBIDDEN' } });
            return `${u.id}@example.com`;
          },
          nickname: (u: { id: string }) => {
            if (u.id === 'u3') throw new GraphQLError('nickname unavailable', { extensions: { code: 'NOT_FOUND' } });
            return `nick-${u.id}`;
          },
        },
      },
    },
  },
  cases: [
    {
      title: 'nulls a nullable field whose entity fetch failed and forwards the subgraph error',
      query: '{ users { id nickname } }',
      expected: {
        data: { users: [{ id: 'u1', nickname: 'nick-u1' }, { id: 'u2', nickname: 'nick-u2' }, { id: 'u3', nickname: null }] },
        errors: [{ message: 'nickname unavailable', code: 'NOT_FOUND' }],
      },
    },
    {
      title: 'propagates a failed non-null field to the nearest nullable parent (the list item)',
      query: '{ users { id email } }',
      expected: {
        data: { users: [{ id: 'u1', email: 'u1@example.com' }, null, { id: 'u3', email: 'u3@example.com' }] },
        errors: [{ message: 'email hidden', code: 'FORBIDDEN' }],
      },
    },
    {
      title: 'propagates through a list of non-null items to the nullable list itself',
      query: '{ strictUsers { id email } }',
      expected: { data: { strictUsers: null }, errors: [{ message: 'email hidden' }] },
    },
  ],
};
