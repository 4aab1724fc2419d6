// Follows the federation-gateway-audit suite "interface-object-indirect-extension".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const video = (id: string) => ({ __typename: 'Video', id, title: `title for ${id}`, duration: 100 * Number(id) });
const article = (id: string) => ({ __typename: 'Article', id, title: `title for ${id}`, wordCount: 900 * Number(id) });
// Odd ids are videos, even ids articles.
const mediaById = (id: string) => (Number(id) % 2 === 1 ? video(id) : article(id));

/**
 * An entity interface implemented in one subgraph, one implementation extended by a second subgraph that does not
 * know the interface, and the interface used as an @interfaceObject by a third.
 */
export const auditInterfaceObjectIndirectExtensionSuite: FederationSuite = {
  name: 'audit: an implementation extended outside its interface, next to an @interfaceObject',
  subgraphs: {
    media: {
      typeDefs: `${link('@key')}
        type Query { media: Media }
        interface Media @key(fields: "id") { id: ID! title: String }
        type Video implements Media @key(fields: "id") { id: ID! title: String duration: Int }
        type Article implements Media @key(fields: "id") { id: ID! title: String wordCount: Int }`,
      resolvers: {
        Query: { media: () => video('1') },
        Media: { __resolveReference: (ref: { id: string }) => mediaById(ref.id), __resolveType: (o: { __typename: string }) => o.__typename },
        Video: { __resolveReference: (ref: { id: string }) => video(ref.id) },
        Article: { __resolveReference: (ref: { id: string }) => article(ref.id) },
      },
    },
    authors: {
      typeDefs: `${link('@key')}
        type Query { author: Author }
        type Author @key(fields: "id") { id: ID! name: String }
        type Video @key(fields: "id") { id: ID! authorName: String }`,
      resolvers: {
        Query: { author: () => ({ id: '1', name: 'name for 1' }) },
        Author: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `name for ${ref.id}` }) },
        Video: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, authorName: 'John Doe' }) },
      },
    },
    playlists: {
      typeDefs: `${link('@key', '@interfaceObject')}
        type Query { playlist: Playlist }
        type Playlist @key(fields: "id") { id: ID! name: String media: [Media] }
        type Media @key(fields: "id") @interfaceObject { id: ID! }`,
      resolvers: {
        Query: { playlist: () => ({ id: '1', name: 'name for 1', media: [{ id: '1' }, { id: '2' }] }) },
        Playlist: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `name for ${ref.id}`, media: [{ id: ref.id }] }) },
        Media: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
      },
    },
  },
  cases: [
    {
      title: 'combines interface fields, an indirect extension of one implementation and an @interfaceObject list in one query',
      query: `{
        media { id title ... on Video { duration authorName } ... on Article { wordCount } }
        author { id name }
        playlist { id name media { id ... on Video { duration } } }
      }`,
      expected: {
        data: {
          media: { id: '1', title: 'title for 1', duration: 100, authorName: 'John Doe' },
          author: { id: '1', name: 'name for 1' },
          playlist: { id: '1', name: 'name for 1', media: [{ id: '1', duration: 100 }, { id: '2' }] },
        },
      },
    },
    {
      title: 'reaches the indirect extension from @interfaceObject entities by resolving their concrete type first',
      knownFailure: { engines: ['query planner', 'graphql-tools'], reason: "graphql-tools does not resolve @interfaceObject entities to their concrete type before fetching an implementation's field" },
      query: '{ playlist { media { __typename title ... on Video { authorName } ... on Article { wordCount } } } }',
      expected: {
        data: {
          playlist: {
            media: [
              { __typename: 'Video', title: 'title for 1', authorName: 'John Doe' },
              { __typename: 'Article', title: 'title for 2', wordCount: 1800 },
            ],
          },
        },
      },
    },
  ],
};
