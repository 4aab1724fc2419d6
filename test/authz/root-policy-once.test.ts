import { parse, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { definePolicies, definePolicy } from '../../src/authz/index.js';
import { rootPolicyVerdict } from '../../src/authz/root-policy-memo.js';
import { startTestGraph } from './test-graph.js';

// Root fields guarded by a policy that counts its calls and allows every name but "nobody".
const SDL = /* GraphQL */ `
  type Query { greet(name: String!): String @policy(name: "counted") }
  type Mutation { bump(by: Int!): Int @policy(name: "counted") }
`;

async function startCountedGraph(strict: 'off' | 'mutations' | 'all', asynchronous: boolean) {
  const calls: unknown[] = [];
  const policies = definePolicies({
    counted: definePolicy({
      parentFields: [],
      check: ({ args }) => {
        calls.push(args);
        const allowed = args['name'] !== 'nobody';
        return asynchronous ? new Promise<boolean>((resolve) => setTimeout(() => resolve(allowed), 5)) : allowed;
      },
    }),
  });
  const graph = await startTestGraph(
    { s: { sdl: SDL, resolvers: { Query: { greet: (_: unknown, { name }: { name: string }) => `hi ${name}` }, Mutation: { bump: (_: unknown, { by }: { by: number }) => by } } } },
    { authz: { strict, policies } },
  );
  return Object.assign(graph, { calls });
}

// The planner's preflight, strict mode's check and the field's resolver each need a root field's
// verdict: a policy that calls out must be asked once per field per operation, not up to three times.
describe('a root field policy runs once per operation', () => {
  for (const strict of ['off', 'mutations', 'all'] as const) {
    for (const asynchronous of [false, true]) {
      it(`strict: ${strict}, ${asynchronous ? 'asynchronous' : 'synchronous'} policy`, async () => {
        await using graph = await startCountedGraph(strict, asynchronous);
        const query = await graph.query('query($n: String!) { greet(name: $n) }', { sub: '1' }, { n: 'ann' });
        expect(query.body).toEqual({ data: { greet: 'hi ann' } });
        expect(graph.calls).toEqual([{ name: 'ann' }]);

        graph.calls.length = 0;
        const mutation = await graph.query('mutation { bump(by: 2) }', { sub: '1' });
        expect(mutation.body).toEqual({ data: { bump: 2 } });
        expect(graph.calls).toEqual([{ by: 2 }]);

        graph.calls.length = 0;
        const denied = await graph.query('{ greet(name: "nobody") }', { sub: '1' });
        expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(denied.body.data?.greet ?? null).toBeNull();
        expect(graph.calls).toEqual([{ name: 'nobody' }]);
      });
    }
  }

  it('each occurrence of a root field, and each request, is decided on its own arguments', async () => {
    await using graph = await startCountedGraph('all', true);
    const both = await graph.query('{ a: greet(name: "ann") b: greet(name: "nobody") }', { sub: '1' });
    expect(both.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(graph.calls).toEqual([{ name: 'ann' }, { name: 'nobody' }]);

    graph.calls.length = 0;
    await graph.query('{ greet(name: "ann") }', { sub: '1' });
    await graph.query('{ greet(name: "ann") }', { sub: '1' });
    expect(graph.calls).toEqual([{ name: 'ann' }, { name: 'ann' }]);
  });

  it('operations of one batch share a document but not a verdict', async () => {
    await using graph = await startCountedGraph('off', false);
    const query = 'query($n: String!) { greet(name: $n) }';
    const res = await fetch(`${graph.gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query, variables: { n: 'ann' } }, { query, variables: { n: 'nobody' } }]),
    });
    const [allowed, denied] = (await res.json()) as Array<{ data?: { greet: string | null }; errors?: Array<{ extensions: { code: string } }> }>;
    expect(allowed).toEqual({ data: { greet: 'hi ann' } });
    expect(denied?.data?.greet ?? null).toBeNull();
    expect(denied?.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(graph.calls).toEqual([{ name: 'ann' }, { name: 'nobody' }]);
  });
});

describe('rootPolicyVerdict', () => {
  const node = parse('{ greet(name: "ann") }').definitions.flatMap((d) => ('selectionSet' in d && d.selectionSet ? d.selectionSet.selections : []))[0] as FieldNode;

  it('never hands one context the verdict of a context it inherits from', () => {
    const request = {};
    let calls = 0;
    const evaluate = () => (calls++, undefined);
    rootPolicyVerdict(request, node, evaluate);
    // A batched operation's context is Object.create(the request's context): the slot is visible through the prototype.
    const operation = Object.create(request) as object;
    rootPolicyVerdict(operation, node, evaluate);
    rootPolicyVerdict(operation, node, evaluate);
    rootPolicyVerdict(request, node, evaluate);
    expect(calls).toBe(2);
  });

  it('evaluates every time without a context', () => {
    let calls = 0;
    rootPolicyVerdict(undefined, node, () => (calls++, undefined));
    rootPolicyVerdict(undefined, node, () => (calls++, undefined));
    expect(calls).toBe(2);
  });
});
