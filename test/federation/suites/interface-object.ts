import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const media = [
  { __typename: 'Book', id: 'm1', title: 'Dune', author: 'Herbert' },
  { __typename: 'Movie', id: 'm2', title: 'Alien', director: 'Scott' },
];
const ratings: Record<string, number> = { m1: 5, m2: 4 };

/** Entity interfaces (`interface Media @key`) and @interfaceObject: a subgraph adds fields to every implementation without knowing them. */
export const interfaceObjectSuite: FederationSuite = {
  name: 'entity interfaces / @interfaceObject',
  subgraphs: {
    library: {
      typeDefs: `${link('@key')}
        type Query { media: [Media!]! }
        interface Media @key(fields: "id") { id: ID! title: String! }
        type Book implements Media @key(fields: "id") { id: ID! title: String! author: String! }
        type Movie implements Media @key(fields: "id") { id: ID! title: String! director: String! }`,
      resolvers: {
        Query: { media: () => media },
        Media: { __resolveReference: (ref: { id: string }) => media.find((m) => m.id === ref.id) ?? null },
        Book: { __resolveReference: (ref: { id: string }) => media.find((m) => m.id === ref.id) ?? null },
        Movie: { __resolveReference: (ref: { id: string }) => media.find((m) => m.id === ref.id) ?? null },
      },
    },
    ratings: {
      typeDefs: `${link('@key', '@interfaceObject')}
        type Query { topRated: [Media!]! }
        type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int! }`,
      resolvers: {
        Query: { topRated: () => ['m2', 'm1'].map((id) => ({ id, rating: ratings[id] })) },
        Media: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, rating: ratings[ref.id] }) },
      },
    },
  },
  cases: [
    {
      title: 'adds an @interfaceObject field to every implementation of the interface',
      query: '{ media { __typename title rating } }',
      expected: { data: { media: [{ __typename: 'Book', title: 'Dune', rating: 5 }, { __typename: 'Movie', title: 'Alien', rating: 4 }] } },
      calls: { library: 1, ratings: 1 },
    },
    {
      title: 'serves @interfaceObject fields inside a fragment on one implementation',
      query: '{ media { ... on Book { author rating } } }',
      expected: { data: { media: [{ author: 'Herbert', rating: 5 }, {}] } },
    },
    {
      title: 'resolves the concrete __typename of entities an @interfaceObject subgraph returns',
      query: '{ topRated { __typename id title rating } }',
      expected: { data: { topRated: [{ __typename: 'Movie', id: 'm2', title: 'Alien', rating: 4 }, { __typename: 'Book', id: 'm1', title: 'Dune', rating: 5 }] } },
    },
    {
      title: 'applies type conditions to entities an @interfaceObject subgraph returns',
      query: '{ topRated { id ... on Movie { director } } }',
      expected: { data: { topRated: [{ id: 'm2', director: 'Scott' }, { id: 'm1' }] } },
    },
  ],
};
