import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePolicies } from '../../src/authz/index.js';
import { startTestGraph, type TestGraph } from './test-graph.js';

const CATALOG_SDL = /* GraphQL */ `
  "Documents: any signed-in viewer, wherever a Document is returned, and their own fields in every implementation."
  interface Document @authenticated { id: ID! title: String }
  type Report implements Document { id: ID! title: String pages: Int }
  type Memo implements Document { id: ID! title: String }
  "Amounts of money: finance only, in whatever field returns them."
  scalar Money @hasRole(roles: ["finance"])
  enum Level @requiresScopes(scopes: [["levels:read"]]) { LOW HIGH }
  type Gadget @requiresScopes(scopes: [["a"]]) { id: ID! name: String! }
  type Query {
    documents: [Document!]
    report: Report
    budget: Money
    level: Level
    gadget: Gadget
    echo(text: String!): String @policy(name: "shortText")
    slow: String @policy(name: "asyncSignedIn")
    broken: String @policy(name: "throws")
    typo: String @policy(name: "nope")
    both: String @policy(name: "shortText") @policy(name: "asyncSignedIn")
  }
`;

const SHOP_SDL = /* GraphQL */ `
  "The same type in a second service, with its own rule: both apply."
  type Gadget @requiresScopes(scopes: [["b"]]) { id: ID! name: String! }
  "A directive on a root type guards the root fields this service defines, not the graph's."
  type Query @authenticated { shopName: String gadgets: [Gadget!]! }
`;

const policies = definePolicies({
  shortText: ({ args }) => String(args['text'] ?? '').length <= 5,
  asyncSignedIn: async ({ viewer }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return viewer.authenticated;
  },
  throws: () => {
    throw new Error('policy bug');
  },
});

describe('what each directive applies to', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph(
      {
        catalog: {
          sdl: CATALOG_SDL,
          resolvers: {
            Document: { __resolveType: (d: { pages?: number }) => (d.pages === undefined ? 'Memo' : 'Report') },
            Query: {
              documents: () => [{ id: 'r1', title: 'Q3', pages: 12 }, { id: 'm1', title: 'Lunch' }],
              report: () => ({ id: 'r1', title: 'Q3', pages: 12 }),
              budget: () => 1_000_000,
              level: () => 'HIGH',
              gadget: () => ({ id: 'g1', name: 'Widget' }),
              echo: (_: unknown, { text }: { text: string }) => text,
              slow: () => 'slow',
              broken: () => 'broken',
              typo: () => 'typo',
              both: () => 'both',
            },
          },
        },
        shop: {
          sdl: SHOP_SDL,
          resolvers: { Query: { shopName: () => 'Corner shop', gadgets: () => [{ id: 'g2', name: 'Gizmo' }] } },
        },
      },
      { authz: { policies } },
    );
  });
  afterAll(async () => {
    await graph?.[Symbol.asyncDispose]();
  });

  const codeAt = (body: { errors?: Array<{ path: string[]; extensions: { code: string } }> }, field: string) =>
    body.errors?.find((e) => e.path.join('.') === field)?.extensions.code;

  it('an interface type: the fields returning it and its fields in every implementation', async () => {
    const anonymous = await graph.query('{ documents { title } report { pages title } }');
    expect(anonymous.body.data).toEqual({ documents: null, report: { pages: 12, title: null } });
    expect(codeAt(anonymous.body, 'documents')).toBe('UNAUTHENTICATED');
    expect(codeAt(anonymous.body, 'report.title')).toBe('UNAUTHENTICATED');
    const signedIn = await graph.query('{ documents { title } report { pages title } }', { sub: '1' });
    expect(signedIn.body).toEqual({ data: { documents: [{ title: 'Q3' }, { title: 'Lunch' }], report: { pages: 12, title: 'Q3' } } });
  });

  it('a scalar and an enum: every field returning them', async () => {
    const { body } = await graph.query('{ budget level }', { sub: '1', roles: ['finance'] });
    expect(body.data).toEqual({ budget: 1_000_000, level: null });
    expect(body.errors[0].extensions).toEqual({ code: 'FORBIDDEN', coordinate: 'Query.level', requirement: { scopes: [['levels:read']] } });
    expect((await graph.query('{ budget level }', { sub: '1', roles: ['finance'], scope: 'levels:read' })).body).toEqual({ data: { budget: 1_000_000, level: 'HIGH' } });
  });

  it('a type defined by two services with different rules needs both (never the weaker of the two)', async () => {
    for (const scope of ['a', 'b']) {
      const { body } = await graph.query('{ gadget { name } }', { sub: '1', scope });
      expect(body.data.gadget).toBeNull();
      expect(body.errors[0].extensions.requirement).toEqual({ scopes: [[scope === 'a' ? 'b' : 'a']] });
    }
    expect((await graph.query('{ gadget { name } }', { sub: '1', scope: 'a b' })).body).toEqual({ data: { gadget: { name: 'Widget' } } });
  });

  it("a root type's directive guards that service's root fields only", async () => {
    const { body } = await graph.query('{ shopName report { pages } }');
    expect(body.data).toEqual({ shopName: null, report: { pages: 12 } });
    expect(codeAt(body, 'shopName')).toBe('UNAUTHENTICATED');
  });

  it('a policy reading the arguments', async () => {
    expect((await graph.query('{ echo(text: "hi") }')).body).toEqual({ data: { echo: 'hi' } });
    const { body } = await graph.query('{ echo(text: "far too long") }');
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', coordinate: 'Query.echo', requirement: { policies: [['shortText']] } });
  });

  it('an asynchronous policy', async () => {
    expect((await graph.query('{ slow }', { sub: '1' })).body).toEqual({ data: { slow: 'slow' } });
    expect((await graph.query('{ slow }')).body.data).toEqual({ slow: null });
  });

  it('repeated @policy directives must all pass', async () => {
    expect((await graph.query('query { both, echo(text: "hi") }', { sub: '1' })).body).toEqual({ data: { both: 'both', echo: 'hi' } });
    const { body } = await graph.query('{ both }');
    expect(body.errors[0].extensions.requirement).toEqual({ policies: [['asyncSignedIn']] });
  });

  it('a policy that throws denies, and the error is logged for operators, not sent', async () => {
    const { body } = await graph.query('{ broken }', { sub: '1' });
    expect(body).toEqual({
      data: { broken: null },
      errors: [expect.objectContaining({ message: 'Not authorized: Query.broken requires the policy "throws"' })],
    });
    expect(graph.gw.logs().some((l) => l['msg'] === 'authorization policy threw; denying' && l['policy'] === 'throws')).toBe(true);
  });

  it('a policy the configuration lacks denies everyone, with a warning at start-up', async () => {
    const { body } = await graph.query('{ typo }', { sub: '1', roles: ['admin', 'finance'] });
    expect(body.data).toEqual({ typo: null });
    expect(body.errors[0].extensions.requirement).toEqual({ policies: [['nope']] });
    const warning = graph.gw.logs().find((l) => String(l['msg']).includes('unknown policy "nope"'));
    expect(warning).toMatchObject({ level: 'warn', msg: expect.stringContaining('the field is denied to every viewer') });
  });
});
