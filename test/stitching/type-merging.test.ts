import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, products, productsBySales, reviews, users } from '../../services-mock/data.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { requestCounts, resetCounts, startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';

const DEMO_QUERY = readFileSync(new URL('../../services-mock/demo-query.graphql', import.meta.url), 'utf8');
const TOP_PRODUCTS = /* GraphQL */ `
  query Top($first: Int!) { topProducts(first: $first) { id name reviews { rating author { name } } } }
`;

describe('stitched graph over the four demo services', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let gw: RunningGateway;
  beforeAll(async () => {
    mocks = await startMocks({ users: 2, products: 2, reviews: 1, orders: 1 });
    registry = await demoRegistryFor(mocks);
    // Stitching, not authorization: the demo's directives are tested in test/authz.
    gw = await startGateway({ registry: registry.dir, authz: { enabled: false } });
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });

  it('answers the demo query with complete data from products, reviews, users and orders', async () => {
    const { status, body } = await gw.query(DEMO_QUERY);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const userName = (id: string) => users.find((u) => u.id === id)!.name;
    const expectedTop = productsBySales.slice(0, 5).map((p) => ({
      id: p.id,
      name: p.name,
      price: p.price,
      reviews: reviews.filter((r) => r.productId === p.id).map((r) => ({ rating: r.rating, body: r.body, author: { name: userName(r.authorId) } })),
    }));
    expect(body.data.topProducts).toEqual(expectedTop);
    const product = (id: string) => products.find((p) => p.id === id)!;
    expect(body.data.user).toEqual({
      name: 'Alice Liddell',
      orders: orders.filter((o) => o.userId === '1').map((o) => ({
        id: o.id,
        total: o.total,
        lines: o.lines.map((l) => ({ quantity: l.quantity, product: { name: product(l.productId).name, price: product(l.productId).price } })),
      })),
    });
    expect(body.data.user.orders.length).toBeGreaterThan(0);
    for (const p of body.data.topProducts) expect(p.reviews.length).toBeGreaterThan(0);
  });

  it('costs the same upstream calls for topProducts(first: 5) and (first: 50): no N+1', async () => {
    resetCounts(mocks);
    const five = await gw.query(TOP_PRODUCTS, { first: 5 });
    const callsForFive = requestCounts(mocks);
    resetCounts(mocks);
    const fifty = await gw.query(TOP_PRODUCTS, { first: 50 });
    const callsForFifty = requestCounts(mocks);
    expect(five.body.data.topProducts).toHaveLength(5);
    expect(fifty.body.data.topProducts).toHaveLength(50);
    expect(fifty.body.errors).toBeUndefined();
    expect(callsForFifty).toEqual(callsForFive);
    // products once, reviews once (batched merge), users once (all authors in one usersByIds).
    expect(callsForFifty).toEqual({ users: 1, products: 1, reviews: 1, orders: 0 });
  });

  it('resolves a field merged from a third service on entities reached through a second one', async () => {
    const query = /* GraphQL */ `{ review(id: "1") { product { name averageRating } author { username reviews { id } } } }`;
    const { body } = await gw.query(query);
    const review = reviews.find((r) => r.id === '1')!;
    expect(body.errors).toBeUndefined();
    expect(body.data.review.product.name).toBe(products.find((p) => p.id === review.productId)!.name);
    expect(body.data.review.author.username).toBe(users.find((u) => u.id === review.authorId)!.username);
    expect(body.data.review.author.reviews.map((r: { id: string }) => r.id)).toEqual(
      reviews.filter((r) => r.authorId === review.authorId).map((r) => r.id),
    );
  });

  it('hides merge entry points (root fields starting with _) and registry directives from clients', async () => {
    const { body } = await gw.query('{ __schema { queryType { fields { name } } directives { name } } }');
    const fields = body.data.__schema.queryType.fields.map((f: { name: string }) => f.name);
    expect(fields).toContain('topProducts');
    expect(fields.filter((f: string) => f.startsWith('_'))).toEqual([]);
    const directives = body.data.__schema.directives.map((d: { name: string }) => d.name);
    for (const internal of ['key', 'merge', 'computed', 'canonical', 'http', 'json', 'ref']) expect(directives).not.toContain(internal);
  });

  it('spreads calls over both replicas of a service', async () => {
    for (const r of mocks.users!) r.resetStats();
    for (let i = 0; i < 4; i++) await gw.query('{ user(id: "2") { name } }');
    expect(mocks.users!.map((r) => r.stats().requests)).toEqual([2, 2]);
  });
});
