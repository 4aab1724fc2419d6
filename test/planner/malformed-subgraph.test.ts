import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody, sendJson } from '../../services-mock/mock-server.js';
import { FED_LINK, startSupergraph, type RunningSupergraph } from '../helpers/subgraphs.js';

type Answer = (representations: Array<{ id: string }>) => unknown;
let answer: Answer = (reps) => reps.map((r) => ({ __typename: 'Book', rating: Number(r.id.slice(1)) }));

describe('query planner against a subgraph that answers malformed _entities', () => {
  let sg: RunningSupergraph;
  beforeAll(async () => {
    sg = await startSupergraph({
      books: {
        typeDefs: `${FED_LINK(['@key'])}
          type Book @key(fields: "id") { id: ID! title: String }
          type Query { books: [Book] }`,
        resolvers: { Query: { books: () => [{ id: 'b1', title: 'One' }, { id: 'b2', title: 'Two' }, { id: 'b3', title: 'Three' }] } },
      },
      ratings: {
        typeDefs: `${FED_LINK(['@key'])}
          type Book @key(fields: "id") { id: ID! rating: Int }`,
        // Hand-rolled: answers whatever `answer` returns for the batch's first _entities field.
        handler: async (req, res) => {
          const body = JSON.parse(await readBody(req)) as { variables: Record<string, Array<{ id: string }>> };
          sendJson(res, 200, { data: { _0: answer(body.variables['__r0'] ?? []) } });
        },
      },
    });
  });
  afterAll(() => sg?.[Symbol.asyncDispose]());

  const query = '{ books { id title rating } }';

  it('merges a well-formed answer (control)', async () => {
    answer = (reps) => reps.map((r) => ({ __typename: 'Book', rating: Number(r.id.slice(1)) }));
    expect(await sg.viaPlanner(query)).toEqual({
      data: { books: [{ id: 'b1', title: 'One', rating: 1 }, { id: 'b2', title: 'Two', rating: 2 }, { id: 'b3', title: 'Three', rating: 3 }] },
    });
  });

  it('rejects a list of the wrong length for every entity instead of guessing who is who', async () => {
    answer = (reps) => reps.slice(1).map((r) => ({ __typename: 'Book', rating: Number(r.id.slice(1)) }));
    const result = await sg.viaPlanner(query);
    expect(result.data).toEqual({ books: [{ id: 'b1', title: 'One', rating: null }, { id: 'b2', title: 'Two', rating: null }, { id: 'b3', title: 'Three', rating: null }] });
    expect(result.errors).toHaveLength(3);
    for (const error of result.errors!) expect(error).toMatchObject({ message: 'Service "ratings" answered 2 entities for 3 representations', extensions: { code: 'UPSTREAM_ERROR', service: 'ratings' } });
  });

  it('refuses an entity of the wrong __typename, keeping the others', async () => {
    answer = (reps) => reps.map((r, i) => ({ __typename: i === 1 ? 'Author' : 'Book', rating: Number(r.id.slice(1)) }));
    const result = await sg.viaPlanner(query);
    expect(result.data).toEqual({ books: [{ id: 'b1', title: 'One', rating: 1 }, { id: 'b2', title: 'Two', rating: null }, { id: 'b3', title: 'Three', rating: 3 }] });
    expect(result.errors).toMatchObject([{ message: 'Service "ratings" returned a Author where a Book was requested', path: ['books', 1, 'rating'], extensions: { code: 'UPSTREAM_ERROR' } }]);
  });

  it('reports an unexplained null entity as a field error of that entity only, without shifting the others', async () => {
    answer = (reps) => reps.map((r, i) => (i === 0 ? null : { __typename: 'Book', rating: Number(r.id.slice(1)) }));
    const result = await sg.viaPlanner(query);
    expect(result.data).toEqual({ books: [{ id: 'b1', title: 'One', rating: null }, { id: 'b2', title: 'Two', rating: 2 }, { id: 'b3', title: 'Three', rating: 3 }] });
    expect(result.errors).toMatchObject([{ message: 'Service "ratings" returned no Book for a representation it was sent', path: ['books', 0, 'rating'] }]);
  });

  it('reports a scalar of the wrong type as a field error (the gateway schema is enforced)', async () => {
    answer = (reps) => reps.map((r) => ({ __typename: 'Book', rating: r.id === 'b3' ? 'three' : 1 }));
    const result = await sg.viaPlanner(query);
    expect((result.data as { books: Array<{ rating: unknown }> }).books.map((b) => b.rating)).toEqual([1, 1, null]);
    expect(result.errors).toMatchObject([{ message: 'Int cannot represent non-integer value: "three"', path: ['books', 2, 'rating'] }]);
  });
});
