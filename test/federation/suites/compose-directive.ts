import type { FederationSuite } from '../harness/suite.js';

/** @composeDirective: a custom directive kept in the supergraph and the gateway's schema. */
export const composeDirectiveSuite: FederationSuite = {
  name: '@composeDirective',
  supergraphContains: ['directive @audited(reason: String!) on FIELD_DEFINITION', '@audited(reason: "pii")'],
  subgraphs: {
    accounts: {
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@composeDirective"])
          @link(url: "https://example.com/audit/v1.0", import: ["@audited"])
          @composeDirective(name: "@audited")
        directive @audited(reason: String!) on FIELD_DEFINITION
        type Query { users: [User!]! }
        type User @key(fields: "id") { id: ID! email: String! @audited(reason: "pii") }`,
      resolvers: { Query: { users: () => [{ id: 'u1', email: 'alice@example.com' }] } },
    },
    profiles: {
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type User @key(fields: "id") { id: ID! bio: String! }`,
      resolvers: { User: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, bio: 'Curious' }) } },
    },
  },
  cases: [
    {
      title: 'lists a composed directive in the public schema',
      query: '{ __schema { directives { name args { name } } } }',
      expected: {
        data: {
          __schema: {
            directives: [
              { name: 'include', args: [{ name: 'if' }] },
              { name: 'skip', args: [{ name: 'if' }] },
              { name: 'deprecated', args: [{ name: 'reason' }] },
              { name: 'specifiedBy', args: [{ name: 'url' }] },
              { name: 'oneOf', args: [] },
              { name: 'audited', args: [{ name: 'reason' }] },
            ],
          },
        },
      },
    },
    {
      title: 'executes fields carrying a composed directive normally',
      query: '{ users { email bio } }',
      expected: { data: { users: [{ email: 'alice@example.com', bio: 'Curious' }] } },
    },
  ],
};
