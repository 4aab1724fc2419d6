import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';
import { CLIENT_KEY, fieldCounts, signIn, usageReport, type Caller } from './demo-callers.js';

const ADMIN_TOKEN = 'metering-admin-token-0123456789';
const OPERATOR = `Bearer ${ADMIN_TOKEN}`;
const CATALOG = 'query Catalog { topProducts(first: 2) { name price } }';
const PROFILE = 'query Profile { user(id: "1") { name } }';

// Three clients with real tokens: two client_credentials clients and alice, a user signed in without a client id.
describe('metering per client × operation × field and per client × service', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let gw: RunningGateway;
  let callers: Record<Caller, { authorization: string }>;
  beforeAll(async () => {
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1, auth: 1 });
    registry = await demoRegistryFor(mocks);
    // Gateway and mocks share this process: 1,000 requests at once queue longer than the demo's 3 s timeout.
    for (const service of ['products', 'users']) {
      const manifest = parse(await registry.read(`${service}/service.yaml`)) as Record<string, unknown>;
      await registry.write(`${service}/service.yaml`, stringify({ ...manifest, timeoutMs: 60_000, totalTimeoutMs: 120_000 }));
    }
    gw = await startGateway({
      registry: registry.dir,
      auth: { authService: { url: mocks.auth![0]!.url } },
      telemetry: { admin: { token: ADMIN_TOKEN }, metering: { flushIntervalMs: 60_000 } },
    });
    callers = await signIn(gw.url);
    const plan: Array<{ caller: Caller; query: string }> = [
      ...Array.from({ length: 400 }, () => ({ caller: 'inventory' as const, query: CATALOG })),
      ...Array.from({ length: 350 }, () => ({ caller: 'backoffice' as const, query: PROFILE })),
      ...Array.from({ length: 125 }, () => ({ caller: 'alice' as const, query: CATALOG })),
      ...Array.from({ length: 125 }, () => ({ caller: 'alice' as const, query: PROFILE })),
    ];
    const results = await Promise.all(plan.map(({ caller, query }) => gw.query(query, undefined, callers[caller])));
    expect(results.filter((r) => r.status !== 200 || r.body.errors)).toEqual([]);
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });

  it('counts 1,000 concurrent requests from 3 clients exactly, each under the client of its token', async () => {
    const report = await usageReport(gw, OPERATOR, '?since=1h');
    expect(report.totals).toMatchObject({ requests: 1000, failed: 0 });
    expect(report.clients.map((c) => [c.client, c.requests])).toEqual([['inventory-service', 400], ['backoffice', 350], [CLIENT_KEY.alice, 250]]);
    expect(report.operations.map((o) => [o.operation, o.requests, o.clients])).toEqual([['Catalog', 525, 2], ['Profile', 475, 2]]);
    expect(fieldCounts(report)).toEqual({
      'Query.topProducts': 525, 'Product.name': 1050, 'Product.price': 1050, 'Query.user': 475, 'User.name': 475,
    });
    expect(Object.fromEntries(report.services.map((s) => [s.service, s.calls]))).toEqual({ products: 525, users: 475 });
    expect(report.slowestFields.map((f) => f.coordinate)).toContain('Query.topProducts');
  });

  it('narrows the report to one client and one operation', async () => {
    const alice = await usageReport(gw, OPERATOR, `?client=${CLIENT_KEY.alice}`);
    expect(alice.operations.map((o) => [o.operation, o.requests])).toEqual([['Catalog', 125], ['Profile', 125]]);
    expect(Object.fromEntries(alice.services.map((s) => [s.service, s.calls]))).toEqual({ products: 125, users: 125 });
    const catalog = await usageReport(gw, OPERATOR, '?client=inventory-service&operation=Catalog');
    expect(catalog.totals.requests).toBe(400);
    expect(fieldCounts(catalog)['Product.name']).toBe(800);
  });

  it('lists the fields of the registered schema nobody requested in the period', async () => {
    const report = await usageReport(gw, OPERATOR);
    expect(report.unusedFields).toContain('User.email');
    expect(report.unusedFields).toContain('Mutation.placeOrder');
    expect(report.unusedFields).not.toContain('Product.name');
    const backoffice = await usageReport(gw, OPERATOR, '?client=backoffice');
    expect(backoffice.unusedFields).toContain('Product.name');
  });

  it('reads an older period from coarser buckets and finds nothing before the traffic', async () => {
    const old = await usageReport(gw, OPERATOR, `?from=${Date.now() - 3 * 86_400_000}&to=${Date.now() - 2 * 86_400_000}`);
    expect(old.resolution).toBe('hour');
    expect(old.totals.requests).toBe(0);
    const week = await usageReport(gw, OPERATOR, '?since=30d');
    expect(week.resolution).toBe('day');
    expect(week.totals.requests).toBe(1000);
  });

  it("admits the token of a viewer with the admin role (alice) as well as the operator's token", async () => {
    expect((await usageReport(gw, callers.alice.authorization)).totals.requests).toBe(1000);
  });

  it.each([
    { query: '', as: 'none', who: 'no credentials', status: 401 },
    { query: '', as: 'bogus', who: 'a bearer token that is neither the admin token nor a valid token', status: 401 },
    { query: '', as: 'bob', who: 'the token of a viewer without the admin role (bob)', status: 403 },
    { query: '', as: 'inventory', who: 'the token of a client without the admin role (inventory-service)', status: 403 },
    { query: '?since=yesterday', as: 'operator', who: 'the admin token', status: 400 },
    { query: '?from=2026-13-45', as: 'operator', who: 'the admin token', status: 400 },
    { query: '?limit=0', as: 'operator', who: 'the admin token', status: 400 },
  ] as const)('answers GET /admin/usage$query with $status for $who', async ({ query, as, status }) => {
    const authorization = { none: undefined, bogus: 'Bearer not-the-admin-token', bob: callers.bob.authorization, inventory: callers.inventory.authorization, operator: OPERATOR }[as];
    const res = await fetch(`${gw.url}/admin/usage${query}`, { headers: authorization ? { authorization } : {} });
    expect(res.status).toBe(status);
    expect((await res.json()).error).toEqual(expect.any(String));
  });
});
