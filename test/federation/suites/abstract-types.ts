import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

/** Unions and interfaces whose members get their fields from other subgraphs. */
export const abstractTypesSuite: FederationSuite = {
  name: 'unions and interfaces across subgraphs',
  subgraphs: {
    search: {
      typeDefs: `${link('@key')}
        type Query { search: [SearchResult!]! pets: [Pet!]! }
        union SearchResult = Book | Author
        type Book @key(fields: "id") { id: ID! }
        type Author @key(fields: "id") { id: ID! }
        interface Pet { name: String! }
        type Dog implements Pet @key(fields: "id") { id: ID! name: String! }
        type Cat implements Pet @key(fields: "id") { id: ID! name: String! }`,
      resolvers: {
        Query: {
          search: () => [{ __typename: 'Book', id: 'b1' }, { __typename: 'Author', id: 'a1' }],
          pets: () => [{ __typename: 'Dog', id: 'd1', name: 'Rex' }, { __typename: 'Cat', id: 'c1', name: 'Tom' }],
        },
        SearchResult: { __resolveType: (o: { __typename: string }) => o.__typename },
        Pet: { __resolveType: (o: { __typename: string }) => o.__typename },
      },
    },
    details: {
      typeDefs: `${link('@key')}
        type Book @key(fields: "id") { id: ID! title: String! }
        type Author @key(fields: "id") { id: ID! name: String! }
        type Dog @key(fields: "id") { id: ID! barks: Boolean! }
        type Cat @key(fields: "id") { id: ID! lives: Int! }`,
      resolvers: {
        Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, title: 'Dune' }) },
        Author: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: 'Herbert' }) },
        Dog: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, barks: true }) },
        Cat: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, lives: 9 }) },
      },
    },
  },
  cases: [
    {
      title: 'fetches union members\' fields from the subgraph that owns them, one request for all members',
      query: '{ search { __typename ... on Book { title } ... on Author { name } } }',
      expected: { data: { search: [{ __typename: 'Book', title: 'Dune' }, { __typename: 'Author', name: 'Herbert' }] } },
      calls: { search: 1, details: 1 },
    },
    {
      title: 'serves interface fields from the root subgraph and implementation fields from another',
      query: '{ pets { name ... on Dog { barks } ... on Cat { lives } } }',
      expected: { data: { pets: [{ name: 'Rex', barks: true }, { name: 'Tom', lives: 9 }] } },
      calls: { search: 1, details: 1 },
    },
  ],
};
