import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOB, startAccountsGraph, type AccountsGraph } from './accounts-graph.js';
import type { ViewerClaims } from './test-graph.js';

/**
 * Shapes of operations that try to reach a denied field another way. For each: the denied value
 * appears nowhere in the answer, each denial is reported, and the field is not in what the service
 * was asked (the values all start with an upper-case marker, e.g. TIER-, SECRET-, BADGE-).
 */
describe('bad input never lets a denied field through', () => {
  let graph: AccountsGraph;
  beforeAll(async () => {
    graph = await startAccountsGraph();
  });
  afterAll(async () => {
    await graph?.[Symbol.asyncDispose]();
  });

  const run = async (query: string, viewer?: ViewerClaims, variables?: Record<string, unknown>) => {
    graph.resetRecords();
    const res = await graph.query(query, viewer, variables);
    return { ...res, asked: graph.proxies['accounts']!.queries().join('\n') + graph.proxies['profiles']!.queries().join('\n') };
  };
  const codes = (body: { errors?: Array<{ path?: unknown[]; extensions: { code: string; coordinate: string } }> }) =>
    (body.errors ?? []).map((e) => `${e.path?.join('.')} ${e.extensions.code} ${e.extensions.coordinate}`).sort();

  it('an alias: the denied field under another name is still denied and not fetched', async () => {
    const { body, asked } = await run('{ customer(id: "1") { handle t: tier } }', BOB);
    expect(body.data).toEqual({ customer: { handle: 'alice', t: null } });
    expect(codes(body)).toEqual(['customer.t FORBIDDEN Customer.tier']);
    expect(asked).not.toMatch(/\btier\b/);
  });

  it('the same field twice under different aliases: both denied, both reported', async () => {
    const { body, asked } = await run('{ customer(id: "1") { a: tier b: tier tier } }', BOB);
    expect(body.data).toEqual({ customer: { a: null, b: null, tier: null } });
    expect(codes(body)).toEqual(['customer.a FORBIDDEN Customer.tier', 'customer.b FORBIDDEN Customer.tier', 'customer.tier FORBIDDEN Customer.tier']);
    expect(asked).not.toMatch(/\btier\b/);
  });

  it('named fragments, also spread inside other fragments and guarded by @include', async () => {
    const query = /* GraphQL */ `
      query ($yes: Boolean!) { customer(id: "1") { ...Outer } }
      fragment Outer on Customer { handle ...Inner @include(if: $yes) }
      fragment Inner on Customer { tier }
    `;
    const { body, asked } = await run(query, BOB, { yes: true });
    expect(body.data).toEqual({ customer: { handle: 'alice', tier: null } });
    expect(codes(body)).toEqual(['customer.tier FORBIDDEN Customer.tier']);
    expect(asked).not.toMatch(/\btier\b/);
  });

  it('a fragment on an interface reaching an @authenticated interface field, anonymous', async () => {
    const { body, asked } = await run('{ accounts { ...A } } fragment A on Account { handle secret }');
    expect(body.data.accounts).toEqual([{ handle: 'alice', secret: null }, { handle: 'bob', secret: null }, { handle: 'root', secret: null }]);
    expect(codes(body)).toEqual([
      'accounts.0.secret UNAUTHENTICATED Customer.secret', 'accounts.1.secret UNAUTHENTICATED Customer.secret', 'accounts.2.secret UNAUTHENTICATED Staff.secret',
    ]);
    expect(asked).not.toMatch(/\bsecret\b/);
  });

  it('an interface field denied on one implementation only: the others still get it', async () => {
    const { body, asked } = await run('{ accounts { handle email } }', BOB);
    expect(body.data.accounts).toEqual([
      { handle: 'alice', email: 'alice@example.com' }, { handle: 'bob', email: 'bob@example.com' }, { handle: 'root', email: null },
    ]);
    expect(codes(body)).toEqual(['accounts.2.email FORBIDDEN Staff.email']);
    // Asked only where allowed: `... on Customer { email }`, never for Staff.
    expect(asked).toMatch(/on Customer \{\s*email/);
    expect(asked).not.toMatch(/on Staff \{[^}]*email/);
  });

  it('inline fragments on interface implementations', async () => {
    const { body, asked } = await run('{ accounts { handle ... on Customer { tier } ... on Staff { badge } } }', BOB);
    expect(body.data.accounts).toEqual([{ handle: 'alice', tier: null }, { handle: 'bob', tier: null }, { handle: 'root', badge: null }]);
    expect(codes(body)).toEqual(['accounts.0.tier FORBIDDEN Customer.tier', 'accounts.1.tier FORBIDDEN Customer.tier', 'accounts.2.badge FORBIDDEN Staff.badge']);
    expect(asked).not.toMatch(/\b(tier|badge)\b/);
  });

  it('inline fragments on union members', async () => {
    const { body, asked } = await run('{ search { ... on Customer { handle tier } ... on Note { text } } }', BOB);
    expect(body.data.search).toEqual([{ handle: 'alice', tier: null }, { handle: 'bob', tier: null }, {}, { text: 'hello' }, { text: 'hi' }]);
    expect(codes(body)).toEqual(['search.0.tier FORBIDDEN Customer.tier', 'search.1.tier FORBIDDEN Customer.tier']);
    expect(asked).not.toMatch(/\btier\b/);
  });

  it('__typename tricks: an alias named like the field, and __typename next to it', async () => {
    const aliased = await run('{ customer(id: "1") { tier: __typename } }', BOB);
    expect(aliased.body).toEqual({ data: { customer: { tier: 'Customer' } } });
    const { body, asked } = await run('{ search { __typename ... on Customer { __typename tier } } }', BOB);
    expect(body.data.search.map((s: { __typename: string }) => s.__typename)).toEqual(['Customer', 'Customer', 'Staff', 'Note', 'Note']);
    expect(codes(body)).toEqual(['search.0.tier FORBIDDEN Customer.tier', 'search.1.tier FORBIDDEN Customer.tier']);
    expect(asked).not.toMatch(/\btier\b/);
  });

  it('a variable-driven query and @skip(if: false) are no way around it', async () => {
    const { body, asked } = await run('query ($id: ID!, $no: Boolean!) { customer(id: $id) { tier @skip(if: $no) } }', BOB, { id: '1', no: false });
    expect(body.data).toEqual({ customer: { tier: null } });
    expect(codes(body)).toEqual(['customer.tier FORBIDDEN Customer.tier']);
    expect(asked).not.toMatch(/\btier\b/);
  });

  it('an alias that would overwrite the parent field a policy reads cannot fool it', async () => {
    // bob asks for alice's phone, aliasing his own id where the policy would look.
    const { body } = await run('{ customer(id: "1") { id: handle phone } }', BOB);
    expect(JSON.stringify(body)).not.toContain('PHONE-1');
    const mine = await run('{ customer(id: "2") { phone } }', BOB);
    expect(mine.body).toEqual({ data: { customer: { phone: 'PHONE-2' } } });
  });

  it("refuses the gateway's reserved alias prefix with 400 before anything is fetched", async () => {
    const { status, body, asked } = await run('{ customer(id: "1") { _junction_authz_id: handle phone } }', BOB);
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [{ message: 'Aliases starting with "_junction_authz_" are reserved by the gateway', locations: [{ line: 1, column: 23 }], extensions: { code: 'RESERVED_ALIAS' } }],
    });
    expect(asked).toBe('');
  });

  it('the denied value is in no answer of this suite', async () => {
    const everything = await Promise.all([
      run('{ customer(id: "1") { tier ssn } accounts { secret email ... on Staff { badge } } vault { code } }', BOB),
      run('{ search { ... on Customer { tier ssn } ... on Staff { badge } ... on Note { private } } }', BOB),
    ]);
    const text = JSON.stringify(everything.map((e) => e.body));
    for (const marker of ['TIER-', 'SSN-', 'BADGE-', 'VAULT-', 'PRIVATE-n1', 'root@example.com']) expect(text).not.toContain(marker);
  });
});
