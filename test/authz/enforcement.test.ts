import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, STAFF, startAccountsGraph, type AccountsGraph } from './accounts-graph.js';

// Both engines enforce the same rules: the query planner (policies below the root through its gates)
// and graphql-tools (the general path, which operations with a denial always take).
describe.each([
  ['query planner', {}],
  ['graphql-tools', { execution: { queryPlanner: false } }],
])('enforcement on the accounts graph (%s)', (_engine, config) => {
  let graph: AccountsGraph;
  beforeAll(async () => {
    graph = await startAccountsGraph(config);
  });
  afterAll(async () => {
    await graph?.[Symbol.asyncDispose]();
  });

  it('a directive on a type guards every field returning it: the service gets no request at all', async () => {
    graph.resetRecords();
    const { status, body } = await graph.query('{ vault { code } }', BOB);
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { vault: null },
      errors: [{
        message: 'Not authorized: Query.vault requires the scope "vault:read"',
        locations: [{ line: 1, column: 3 }],
        path: ['vault'],
        extensions: { code: 'FORBIDDEN', coordinate: 'Query.vault', requirement: { scopes: [['vault:read']] } },
      }],
    });
    expect(graph.proxies['accounts']!.received).toEqual([]);
    expect((await graph.query('{ vault { code } }', STAFF)).body).toEqual({ data: { vault: { code: 'VAULT-1234' } } });
  });

  it('anonymous viewers get UNAUTHENTICATED, signed-in ones FORBIDDEN, for the same field', async () => {
    const anonymous = await graph.query('{ customer(id: "1") { tier } }');
    const bob = await graph.query('{ customer(id: "1") { tier } }', BOB);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.errors[0].message).toBe('Authentication required: Customer.tier requires the role "staff"');
    expect(bob.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  describe('null propagation follows the GraphQL specification', () => {
    it('a denied non-null field nulls its nearest nullable parent, with only the denial reported', async () => {
      const { body } = await graph.query('{ customer(id: "1") { handle ssn } account(id: "2") { handle } }', BOB);
      expect(body).toEqual({
        data: { customer: null, account: { handle: 'bob' } },
        errors: [expect.objectContaining({ path: ['customer', 'ssn'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })],
      });
    });

    it('a denied non-null root field nulls the whole data', async () => {
      const { body } = await graph.query('{ motto account(id: "2") { handle } }');
      expect(body).toEqual({ data: null, errors: [expect.objectContaining({ path: ['motto'], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })] });
    });
  });

  describe('a policy reading the parent', () => {
    it('guards a field another service adds to a merged type, fetching it only once the policy allowed it', async () => {
      graph.resetRecords();
      const denied = await graph.query('{ customer(id: "1") { handle phone nickname } }', BOB);
      expect(denied.body.data).toEqual({ customer: { handle: 'alice', phone: null, nickname: 'nick-1' } });
      expect(denied.body.errors).toEqual([expect.objectContaining({ path: ['customer', 'phone'], extensions: { code: 'FORBIDDEN', coordinate: 'Customer.phone', requirement: { policies: [['self']] } } })]);
      expect(graph.proxies['profiles']!.queries().join('\n')).not.toMatch(/\bphone\b/);

      graph.resetRecords();
      const allowed = await graph.query('{ customer(id: "1") { handle phone nickname } }', ALICE);
      expect(allowed.body).toEqual({ data: { customer: { handle: 'alice', phone: 'PHONE-1', nickname: 'nick-1' } } });
      expect(graph.proxies['profiles']!.queries().filter((q) => /\bphone\b/.test(q))).toHaveLength(1);
    });

    it('decides per object in a list, with one batched request for the allowed ones', async () => {
      graph.resetRecords();
      const { body } = await graph.query('{ accounts { handle ... on Customer { phone } } }', BOB);
      expect(body.data.accounts).toEqual([{ handle: 'alice', phone: null }, { handle: 'bob', phone: 'PHONE-2' }, { handle: 'root' }]);
      expect(body.errors.map((e: { path: unknown[] }) => e.path)).toEqual([['accounts', 0, 'phone']]);
      const phoneRequests = graph.proxies['profiles']!.received.filter((r) => /\bphone\b/.test(r.body));
      expect(phoneRequests).toHaveLength(1);
      // Only the allowed object's key, whatever the engine names the variable.
      expect(Object.values(JSON.parse(phoneRequests[0]!.body).variables)).toEqual([['2']]);
    });

    it('on a type no service can fetch alone, decides on the object its service returned and drops the value', async () => {
      const owner = await graph.query('{ note(id: "n1") { text private } }', ALICE);
      expect(owner.body).toEqual({ data: { note: { text: 'hello', private: 'PRIVATE-n1' } } });
      const other = await graph.query('{ note(id: "n1") { text private } }', BOB);
      expect(other.body.data).toEqual({ note: { text: 'hello', private: null } });
      expect(other.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN', coordinate: 'Note.private', requirement: { policies: [['noteOwner']] } });
    });
  });

  describe('mutations are refused whole by default (strict: mutations)', () => {
    it('a denied mutation field stops the operation before any field runs: 403, no data, the service untouched', async () => {
      graph.resetRecords();
      const before = graph.touched();
      const { status, body } = await graph.query('mutation { touch wipe }', BOB);
      expect(status).toBe(403);
      expect(body).toEqual({
        errors: [{
          message: 'Not authorized: Mutation.wipe requires the role "admin"',
          locations: [{ line: 1, column: 18 }],
          extensions: { code: 'FORBIDDEN', coordinate: 'Mutation.wipe', requirement: { roles: ['admin'] } },
        }],
      });
      expect(graph.touched()).toBe(before);
      expect(graph.proxies['accounts']!.received).toEqual([]);
    });

    it('anonymous viewers get 401 with a Bearer challenge', async () => {
      const res = await fetch(`${graph.gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { touch wipe }' }) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="junction"');
      expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('an allowed mutation runs every field', async () => {
      const before = graph.touched();
      const { body } = await graph.query('mutation { touch wipe }', STAFF);
      expect(body).toEqual({ data: { touch: before + 1, wipe: true } });
    });

    it('queries are not strict by default: partial data', async () => {
      const { status, body } = await graph.query('{ customer(id: "1") { handle tier } }', BOB);
      expect(status).toBe(200);
      expect(body.data).toEqual({ customer: { handle: 'alice', tier: null } });
    });
  });
});

describe('authz.strict', () => {
  it('"all" refuses a query requesting a denied field whole, without calling any service', async () => {
    await using graph = await startAccountsGraph({ authz: { strict: 'all' } });
    const { status, body } = await graph.query('{ customer(id: "1") { handle tier } accounts { ... on Staff { badge } } }', BOB);
    expect(status).toBe(403);
    expect(body.data).toBeUndefined();
    expect(body.errors.map((e: { extensions: { coordinate: string } }) => e.extensions.coordinate)).toEqual(['Customer.tier', 'Staff.badge']);
    expect(graph.proxies['accounts']!.received).toEqual([]);
    expect((await graph.query('{ customer(id: "1") { handle } }', BOB)).body).toEqual({ data: { customer: { handle: 'alice' } } });
  });

  it('"all" decides @skip/@include with the request\'s variables', async () => {
    await using graph = await startAccountsGraph({ authz: { strict: 'all' } });
    const query = 'query ($t: Boolean!) { customer(id: "1") { handle tier @include(if: $t) } }';
    expect((await graph.query(query, BOB, { t: false })).body).toEqual({ data: { customer: { handle: 'alice' } } });
    expect((await graph.query(query, BOB, { t: true })).status).toBe(403);
  });

  it('"off" lets a mutation run its allowed fields and answers the denied one with null and an error', async () => {
    await using graph = await startAccountsGraph({ authz: { strict: 'off' } });
    const before = graph.touched();
    const { status, body } = await graph.query('mutation { touch wipe }', BOB);
    expect(status).toBe(200);
    expect(body.data).toEqual({ touch: before + 1, wipe: null });
    expect(body.errors[0].extensions.coordinate).toBe('Mutation.wipe');
  });
});
