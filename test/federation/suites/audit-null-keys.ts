// Follows the federation-gateway-audit suite "null-keys".
import type { FederationSuite } from '../harness/suite.js';
import { link } from './link.js';

const books = [
  { id: '1', upc: 'b1', author: { id: 'a1', name: 'Alice' } },
  { id: '2', upc: 'b2', author: { id: 'a2', name: 'Bob' } },
  { id: '3', upc: 'b3', author: { id: 'a3', name: 'Jack' } },
];
const byKey = (ref: { id?: string; upc?: string }) => books.find((b) => (ref.id !== undefined ? b.id === ref.id : b.upc === ref.upc));

/**
 * A key that is only reachable through a middle subgraph: when that subgraph answers null for an entity,
 * the next hop has no key to send and the field behind it must come back null, without failing its siblings.
 */
export const auditNullKeysSuite: FederationSuite = {
  name: 'audit: null entities on the way to another key',
  subgraphs: {
    shelves: {
      typeDefs: `${link('@key')}
        type Query { bookContainers: [BookContainer] }
        type BookContainer { book: Book }
        type Book @key(fields: "upc") { upc: ID! }`,
      resolvers: { Query: { bookContainers: () => books.map((b) => ({ book: { upc: b.upc } })) } },
    },
    catalog: {
      // Translates upc to id, but does not know the third book.
      typeDefs: `${link('@key')}
        type Book @key(fields: "id") @key(fields: "upc") { id: ID! upc: ID! }`,
      resolvers: {
        Book: {
          __resolveReference: (ref: { id?: string; upc?: string }) => {
            const book = byKey(ref);
            if (!book) throw new Error(`unknown book reference ${JSON.stringify(ref)}`);
            return book.id === '3' ? null : { id: book.id, upc: book.upc };
          },
        },
      },
    },
    authors: {
      typeDefs: `${link('@key')}
        type Book @key(fields: "id") { id: ID! author: Author }
        type Author { id: ID! name: String }`,
      resolvers: {
        Book: {
          __resolveReference: (ref: { id?: string }) => {
            if (typeof ref.id !== 'string') throw new Error(`book reference without id: ${JSON.stringify(ref)}`);
            const book = byKey(ref);
            return book ? { id: book.id, author: book.author } : null;
          },
        },
      },
    },
  },
  cases: [
    {
      title: 'returns null for a field behind a key that the middle subgraph could not provide, and the others in full',
      knownFailure: { engines: ['query planner', 'graphql-tools'], reason: "graphql-tools sends a nulled entity's error object as the next subgraph's key" },
      query: '{ bookContainers { book { upc author { name } } } }',
      expected: {
        data: {
          bookContainers: [
            { book: { upc: 'b1', author: { name: 'Alice' } } },
            { book: { upc: 'b2', author: { name: 'Bob' } } },
            { book: { upc: 'b3', author: null } },
          ],
        },
      },
    },
    {
      title: 'keeps the fields the first subgraph resolved for an entity that a later subgraph answers null',
      query: '{ bookContainers { book { upc } } }',
      expected: { data: { bookContainers: [{ book: { upc: 'b1' } }, { book: { upc: 'b2' } }, { book: { upc: 'b3' } }] } },
      calls: { shelves: 1, catalog: 0, authors: 0 },
    },
  ],
};
