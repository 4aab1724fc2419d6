// Follows the federation-gateway-audit suite "union-intersection".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const book = { __typename: 'Book', title: 'The Lord of the Rings' };
const song = { __typename: 'Song', title: 'Song Title' };
const byTypename = (o: { __typename: string }) => o.__typename;

/**
 * A union whose members differ per subgraph (Book | Song here, Book | Movie there): each subgraph may only be
 * sent the type conditions it knows, and a member absent from the subgraph that answers simply does not match.
 */
export const auditUnionIntersectionSuite: FederationSuite = {
  name: 'audit: unions with different members per subgraph',
  subgraphs: {
    music: {
      typeDefs: `${link('@shareable')}
        type Query { media: Media @shareable viewer: Viewer @shareable }
        union Media = Book | Song
        type Book { title: String! @shareable }
        type Song { title: String! }
        type Viewer { media: Media @shareable song: Media }`,
      resolvers: {
        Query: { media: () => book, viewer: () => ({ media: book, song }) },
        Media: { __resolveType: byTypename },
      },
    },
    cinema: {
      typeDefs: `${link('@shareable')}
        type Query { media: Media @shareable viewer: Viewer @shareable }
        union Media = Book | Movie
        type Book { title: String! @shareable }
        type Movie { title: String! }
        type Viewer { media: Media @shareable book: Media }`,
      resolvers: {
        Query: { media: () => book, viewer: () => ({ media: book, book }) },
        Media: { __resolveType: byTypename },
      },
    },
  },
  cases: [
    {
      title: 'returns an empty object when the only type condition matches another member',
      query: '{ media { ... on Movie { title } } }',
      expected: { data: { media: {} } },
    },
    {
      title: 'returns the fields of the member the subgraph answered with',
      query: '{ media { ... on Book { title } } }',
      expected: { data: { media: { title: 'The Lord of the Rings' } } },
    },
    {
      title: 'accepts conditions on members that the answering subgraph may not know',
      query: '{ media { __typename ... on Song { title } ... on Book { title } ... on Movie { title } } }',
      expected: { data: { media: { __typename: 'Book', title: 'The Lord of the Rings' } } },
    },
    {
      title: 'sends each nested union field only the type conditions its own subgraph knows',
      query: `{ viewer {
        media { __typename ... on Song { title } ... on Movie { title } ... on Book { title } }
        book { __typename ... on Song { title } ... on Movie { title } ... on Book { title } }
        song { __typename ... on Song { title } ... on Movie { title } ... on Book { title } }
      } }`,
      expected: {
        data: {
          viewer: {
            media: { __typename: 'Book', title: 'The Lord of the Rings' },
            book: { __typename: 'Book', title: 'The Lord of the Rings' },
            song: { __typename: 'Song', title: 'Song Title' },
          },
        },
      },
    },
    {
      title: 'handles named fragments on members of different subgraphs inside one selection',
      query: `{ viewer { song { ...OnMovie ...OnSong } book { ...OnMovie ...OnSong } } }
        fragment OnMovie on Movie { title }
        fragment OnSong on Song { title }`,
      expected: { data: { viewer: { song: { title: 'Song Title' }, book: {} } } },
    },
  ],
};
