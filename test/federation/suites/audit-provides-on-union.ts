// Follows the federation-gateway-audit suite "provides-on-union".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const media = [
  { __typename: 'Book', id: 'm1', title: 'Book 1' },
  { __typename: 'Movie', id: 'm2', title: 'Movie 1' },
];
const byTypename = (o: { __typename: string }) => o.__typename;

/** @provides with a type condition on a union member (`... on Book { title }`): provided for books, fetched for movies. */
export const auditProvidesOnUnionSuite: FederationSuite = {
  name: 'audit: @provides on a union',
  subgraphs: {
    plain: {
      typeDefs: `${link('@key', '@shareable')}
        type Query { media: [Media] @shareable }
        union Media = Book | Movie
        type Book @key(fields: "id") { id: ID! }
        type Movie @key(fields: "id") { id: ID! }`,
      resolvers: {
        Query: { media: () => media.map(({ __typename, id }) => ({ __typename, id })) },
        Media: { __resolveType: byTypename },
      },
    },
    providing: {
      typeDefs: `${link('@key', '@shareable', '@provides', '@external')}
        type Query { media: [Media] @shareable @provides(fields: "... on Book { title }") }
        union Media = Book | Movie
        type Book @key(fields: "id") { id: ID! title: String @external }
        type Movie @key(fields: "id") { id: ID! }`,
      resolvers: {
        Query: { media: () => media.map((m) => (m.__typename === 'Book' ? m : { __typename: m.__typename, id: m.id })) },
        Media: { __resolveType: byTypename },
      },
    },
    titles: {
      typeDefs: `${link('@key', '@shareable')}
        type Book @key(fields: "id") { id: ID! title: String @shareable }
        type Movie @key(fields: "id") { id: ID! title: String @shareable }`,
      resolvers: {
        Book: { __resolveReference: (ref: { id: string }) => media.find((m) => m.id === ref.id) ?? null },
        Movie: { __resolveReference: (ref: { id: string }) => media.find((m) => m.id === ref.id) ?? null },
      },
    },
  },
  cases: [
    {
      title: 'answers a provided union member field from the providing root field without entity fetches',
      query: '{ media { ... on Book { id title } ... on Movie { id } } }',
      expected: { data: { media: [{ id: 'm1', title: 'Book 1' }, { id: 'm2' }] } },
      calls: { plain: 0, providing: 1, titles: 0 },
    },
    {
      title: 'fetches the member field that is not provided from its owner',
      query: '{ media { ... on Book { id title } ... on Movie { id title } } }',
      expected: { data: { media: [{ id: 'm1', title: 'Book 1' }, { id: 'm2', title: 'Movie 1' }] } },
      calls: { plain: 0, providing: 1, titles: 1 },
    },
  ],
};
