import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, products, productsBySales, users } from '../../services-mock/data.js';
import { startAuthzFleet, type AuthzFleet, type TokenKind, type Who } from './authz-fleet.js';

/**
 * The demo registry as `npm start` serves it: User.email is @authenticated + selfOrAdmin, User.orders
 * selfOrAdmin, Query.orders userArgIsSelfOrAdmin, Query.order @hasRole(admin), Mutation.placeOrder
 * @requiresScopes(orders:write) + orderForSelfOrAdmin, Product public. alice (subject 1) is an admin,
 * bob (subject 2) a customer, `client` is the inventory-service client (roles [service], scopes
 * orders:read users:read, no subject).
 */
/** `data` is computed when the row runs: placed orders change what a user's orders are. */
type Outcome = { data: () => unknown } | { denied: 'UNAUTHENTICATED' | 'FORBIDDEN'; coordinate: string };
const ok = (data: () => unknown): Outcome => ({ data });
const unauthenticated = (coordinate: string): Outcome => ({ denied: 'UNAUTHENTICATED', coordinate });
const forbidden = (coordinate: string): Outcome => ({ denied: 'FORBIDDEN', coordinate });

const email = (id: string) => users.find((u) => u.id === id)!.email;
const orderIds = (userId: string) => orders.filter((o) => o.userId === userId).map((o) => ({ id: o.id }));
const top = productsBySales.slice(0, 2).map((p) => ({ name: p.name, price: products.find((q) => q.id === p.id)!.price }));

interface Case {
  name: string;
  query: string;
  /** Where the protected value sits in `data`. */
  path: string[];
  expect: Record<Who, Outcome>;
}

const CASES: Case[] = [
  {
    name: 'a public field of a user (User.name)',
    query: '{ user(id: "1") { name } }',
    path: ['user', 'name'],
    expect: { anonymous: ok(() => 'Alice Liddell'), bob: ok(() => 'Alice Liddell'), alice: ok(() => 'Alice Liddell'), client: ok(() => 'Alice Liddell') },
  },
  {
    name: "alice's email (User.email: @authenticated + selfOrAdmin)",
    query: '{ user(id: "1") { email } }',
    path: ['user', 'email'],
    expect: { anonymous: unauthenticated('User.email'), bob: forbidden('User.email'), alice: ok(() => email('1')), client: forbidden('User.email') },
  },
  {
    name: "bob's email",
    query: '{ user(id: "2") { email } }',
    path: ['user', 'email'],
    expect: { anonymous: unauthenticated('User.email'), bob: ok(() => email('2')), alice: ok(() => email('2')), client: forbidden('User.email') },
  },
  {
    name: "alice's orders (User.orders: selfOrAdmin, from the REST orders service)",
    query: '{ user(id: "1") { orders { id } } }',
    path: ['user', 'orders'],
    expect: { anonymous: unauthenticated('User.orders'), bob: forbidden('User.orders'), alice: ok(() => orderIds('1')), client: forbidden('User.orders') },
  },
  {
    name: "bob's orders",
    query: '{ user(id: "2") { orders { id } } }',
    path: ['user', 'orders'],
    expect: { anonymous: unauthenticated('User.orders'), bob: ok(() => orderIds('2')), alice: ok(() => orderIds('2')), client: forbidden('User.orders') },
  },
  {
    name: 'orders by user id argument (Query.orders: userArgIsSelfOrAdmin)',
    query: '{ orders(userId: "2") { id } }',
    path: ['orders'],
    expect: { anonymous: unauthenticated('Query.orders'), bob: ok(() => orderIds('2')), alice: ok(() => orderIds('2')), client: forbidden('Query.orders') },
  },
  {
    name: 'any order by id (Query.order: @hasRole admin)',
    query: '{ order(id: "1001") { id } }',
    path: ['order'],
    expect: { anonymous: unauthenticated('Query.order'), bob: forbidden('Query.order'), alice: ok(() => ({ id: '1001' })), client: forbidden('Query.order') },
  },
  {
    name: 'products (public)',
    query: '{ topProducts(first: 2) { name price } }',
    path: ['topProducts'],
    expect: { anonymous: ok(() => top), bob: ok(() => top), alice: ok(() => top), client: ok(() => top) },
  },
];

const at = (data: unknown, path: string[]) => path.reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], data);

describe.each<TokenKind>(['jwt', 'opaque'])('the demo graph with %s tokens', (kind) => {
  let fleet: AuthzFleet;
  beforeAll(async () => {
    fleet = await startAuthzFleet();
  });
  afterAll(async () => {
    await fleet?.[Symbol.asyncDispose]();
  });

  const rows = CASES.flatMap((c) => (['anonymous', 'bob', 'alice', 'client'] as const).map((who) => ({ ...c, who, outcome: c.expect[who] })));
  it.each(rows)('$name as $who', async ({ query, path, who, outcome }) => {
    const { status, body } = await fleet.query(who, query, undefined, kind);
    expect(status).toBe(200);
    if ('data' in outcome) {
      expect(body.errors).toBeUndefined();
      expect(at(body.data, path)).toEqual(outcome.data());
      return;
    }
    expect(at(body.data, path)).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ path, extensions: expect.objectContaining({ code: outcome.denied, coordinate: outcome.coordinate, requirement: expect.any(Object) }) }),
    ]);
    // The field's data never appears anywhere in the answer.
    expect(JSON.stringify(body)).not.toContain('@example.com');
  });

  it('asks the users service for an email only after the policy allowed it, and never for a denied one', async () => {
    fleet.resetRecords();
    await fleet.query('bob', '{ user(id: "1") { name email } }', undefined, kind);
    await fleet.query('anonymous', '{ user(id: "2") { name email } }', undefined, kind);
    expect(fleet.proxies['users']!.queries().join('\n')).not.toMatch(/\bemail\b/);
    fleet.resetRecords();
    const { body } = await fleet.query('bob', '{ user(id: "2") { name email } }', undefined, kind);
    expect(body.data.user).toEqual({ name: 'Bob Builder', email: email('2') });
    expect(fleet.proxies['users']!.queries().filter((q) => /\bemail\b/.test(q))).toHaveLength(1);
  });

  it("sends the orders service no request for orders the viewer may not see", async () => {
    fleet.resetRecords();
    const denied = await fleet.query('bob', '{ user(id: "1") { name orders { id total } } }', undefined, kind);
    expect(denied.body.data.user).toEqual({ name: 'Alice Liddell', orders: null });
    expect(fleet.proxies['orders']!.received).toEqual([]);
    const allowed = await fleet.query('bob', '{ user(id: "2") { orders { id } } }', undefined, kind);
    expect(allowed.body.data.user.orders).toEqual(orderIds('2'));
    expect(fleet.proxies['orders']!.received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /orders?userIds=2']);
  });

  describe('Mutation.placeOrder (@requiresScopes orders:write, orderForSelfOrAdmin, strict by default)', () => {
    const PLACE = 'mutation Place($userId: ID!) { placeOrder(input: { userId: $userId, lines: [{ productId: "1", quantity: 1 }] }) { userId total } }';
    const total = products.find((p) => p.id === '1')!.price;

    it.each([
      { who: 'bob' as const, userId: '2' },
      { who: 'alice' as const, userId: '2' },
    ])('lets $who place an order for user $userId', async ({ who, userId }) => {
      fleet.resetRecords();
      const { status, body } = await fleet.query(who, PLACE, { userId }, kind);
      expect(status).toBe(200);
      expect(body).toEqual({ data: { placeOrder: { userId, total } } });
      expect(fleet.proxies['orders']!.received.filter((r) => r.method === 'POST')).toHaveLength(1);
    });

    it.each([
      { who: 'anonymous' as const, userId: '2', status: 401, code: 'UNAUTHENTICATED', requirement: { scopes: [['orders:write']] } },
      { who: 'client' as const, userId: '2', status: 403, code: 'FORBIDDEN', requirement: { scopes: [['orders:write']] } },
      { who: 'bob' as const, userId: '1', status: 403, code: 'FORBIDDEN', requirement: { policies: [['orderForSelfOrAdmin']] } },
    ])('refuses $who placing an order for user $userId before anything runs: $status, no data, the orders service untouched', async ({ who, userId, status, code, requirement }) => {
      fleet.resetRecords();
      const placedBefore = fleet.mocks['orders']![0]!.stats().byRoute['POST /orders'];
      const res = await fleet.query(who, PLACE, { userId }, kind);
      expect(res.status).toBe(status);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toEqual([
        expect.objectContaining({ locations: [{ line: 1, column: 32 }], extensions: { code, coordinate: 'Mutation.placeOrder', requirement } }),
      ]);
      expect(fleet.proxies['orders']!.received).toEqual([]);
      expect(fleet.mocks['orders']![0]!.stats().byRoute['POST /orders']).toBe(placedBefore);
    });
  });
});
