import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FED_LINK, startSupergraph, type RunningSupergraph } from '../helpers/subgraphs.js';

const BOOKS = [{ id: 'b1', title: 'Dune' }, { id: 'b2', title: 'Emma' }];
const MOVIES = [{ id: 'm1', title: 'Alien' }];
const RATINGS: Record<string, number> = { b1: 5, b2: 3, m1: 4 };
const log: string[] = [];

describe('query planner semantics', () => {
  let sg: RunningSupergraph;
  beforeAll(async () => {
    sg = await startSupergraph({
      media: {
        typeDefs: `${FED_LINK(['@key'])}
          interface Item { id: ID! title: String }
          union Media = Book | Movie
          type Book implements Item @key(fields: "id") { id: ID! title: String }
          type Movie implements Item @key(fields: "id") { id: ID! title: String }
          type Query { media: [Media] items: [Item] broken: [Book] }
          type Mutation { record(note: String!): [String!]! }`,
        resolvers: {
          Query: {
            media: () => [...BOOKS.map((b) => ({ ...b, __typename: 'Book' })), ...MOVIES.map((m) => ({ ...m, __typename: 'Movie' }))],
            items: () => [...BOOKS.map((b) => ({ ...b, __typename: 'Book' })), ...MOVIES.map((m) => ({ ...m, __typename: 'Movie' }))],
            broken: () => [{ id: 'b1', title: 'Dune' }, { id: 'nope', title: 'Missing' }, { id: 'b2', title: 'Emma' }],
          },
          Mutation: {
            record: async (_: unknown, { note }: { note: string }) => {
              await new Promise((r) => setTimeout(r, note === 'first' ? 30 : 0));
              log.push(note);
              return [...log];
            },
          },
          Media: { __resolveType: (o: { __typename: string }) => o.__typename },
          Item: { __resolveType: (o: { __typename: string }) => o.__typename },
          Book: { __resolveReference: (r: { id: string }) => BOOKS.find((b) => b.id === r.id) },
          Movie: { __resolveReference: (r: { id: string }) => MOVIES.find((m) => m.id === r.id) },
        },
      },
      ratings: {
        typeDefs: `${FED_LINK(['@key'])}
          type Book @key(fields: "id") { id: ID! rating: Int available: Boolean! }
          type Movie @key(fields: "id") { id: ID! rating: Int }`,
        resolvers: {
          Book: {
            __resolveReference: (r: { id: string }) => ({ id: r.id, rating: RATINGS[r.id] }),
            available: (book: { id: string }) => {
              if (book.id === 'nope') throw new GraphQLError('no such book');
              return true;
            },
          },
          Movie: { __resolveReference: (r: { id: string }) => ({ id: r.id, rating: RATINGS[r.id] }) },
        },
      },
    });
  });
  afterAll(() => sg?.[Symbol.asyncDispose]());

  it('resolves union members with fields from another subgraph, one request for both types', async () => {
    const query = '{ media { __typename ... on Book { title rating } ... on Movie { title rating } } }';
    sg.resetCalls();
    const planned = await sg.viaPlanner(query);
    expect(sg.calls()).toEqual({ media: 1, ratings: 1 });
    expect(planned).toEqual({
      data: { media: [{ __typename: 'Book', title: 'Dune', rating: 5 }, { __typename: 'Book', title: 'Emma', rating: 3 }, { __typename: 'Movie', title: 'Alien', rating: 4 }] },
    });
    expect(planned).toEqual(await sg.viaReference(query));
  });

  it('resolves interface fields and type-conditioned fields from another subgraph', async () => {
    const query = '{ items { id title ... on Book { rating } } }';
    const planned = await sg.viaPlanner(query);
    expect(planned).toEqual(await sg.viaReference(query));
    expect(planned.data).toEqual({ items: [{ id: 'b1', title: 'Dune', rating: 5 }, { id: 'b2', title: 'Emma', rating: 3 }, { id: 'm1', title: 'Alien' }] });
  });

  it('pins an entity field error on that entity only, propagating null per the schema (non-null field nulls its book)', async () => {
    const planned = await sg.viaPlanner('{ broken { id available } }');
    expect(planned.data).toEqual({ broken: [{ id: 'b1', available: true }, null, { id: 'b2', available: true }] });
    expect(planned.errors).toMatchObject([{ message: 'no such book', path: ['broken', 1, 'available'] }]);
  });

  it('runs mutation root fields one after the other, in document order', async () => {
    log.length = 0;
    const planned = await sg.viaPlanner('mutation { a: record(note: "first") b: record(note: "second") }');
    expect(planned.data).toEqual({ a: ['first'], b: ['first', 'second'] });
  });

  it('answers partial data with an error naming the service when a subgraph is down', async () => {
    sg.subgraphs['ratings']!.setFault('down');
    try {
      const planned = await sg.viaPlanner('{ media { ... on Movie { title rating } } }');
      expect(planned.data).toEqual({ media: [{}, {}, { title: 'Alien', rating: null }] });
      expect(planned.errors).toMatchObject([{ message: 'Service "ratings" is unavailable', path: ['media', 2, 'rating'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }]);
    } finally {
      sg.subgraphs['ratings']!.setFault('ok');
    }
  });

  it('turns a subgraph that answers garbage into field errors, not a crash', async () => {
    sg.subgraphs['ratings']!.setFault('garbage');
    try {
      const planned = await sg.viaPlanner('{ media { ... on Movie { rating } } }');
      expect(planned.data).toEqual({ media: [{}, {}, { rating: null }] });
      expect(planned.errors).toMatchObject([{ extensions: { code: 'UPSTREAM_ERROR', service: 'ratings' } }]);
    } finally {
      sg.subgraphs['ratings']!.setFault('ok');
    }
  });
});
