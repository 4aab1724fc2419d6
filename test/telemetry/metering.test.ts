import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';
import { ADMIN_TOKEN, startHarness, usageReport, type Harness } from './harness.js';

const CATALOG = 'query Catalog { topProducts(first: 2) { name price } }';
const PROFILE = 'query Profile { user(id: "1") { name } }';

// Client identity comes from a test plugin (x-test-client) until authentication (issue #3) is on main.
describe('metering per client × operation × field and per client × service', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let harness: Harness;
  beforeAll(async () => {
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1 });
    registry = await demoRegistryFor(mocks);
    // Gateway and mocks share this process: 1,000 requests at once queue longer than the demo's 3 s timeout.
    for (const service of ['products', 'users']) {
      const manifest = parse(await registry.read(`${service}/service.yaml`)) as Record<string, unknown>;
      await registry.write(`${service}/service.yaml`, stringify({ ...manifest, timeoutMs: 60_000, totalTimeoutMs: 120_000 }));
    }
    harness = await startHarness(registry.dir, { telemetry: { metering: { flushIntervalMs: 60_000 } } });
    const plan = [
      ...Array.from({ length: 400 }, () => ({ client: 'alpha', query: CATALOG })),
      ...Array.from({ length: 350 }, () => ({ client: 'beta', query: PROFILE })),
      ...Array.from({ length: 125 }, () => ({ client: 'gamma', query: CATALOG })),
      ...Array.from({ length: 125 }, () => ({ client: 'gamma', query: PROFILE })),
    ];
    const results = await Promise.all(plan.map(({ client, query }) => harness.query(query, { client })));
    expect(results.filter((r) => r.status !== 200 || r.body.errors)).toEqual([]);
  });
  afterAll(async () => {
    await harness?.[Symbol.asyncDispose]();
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });

  it('counts 1,000 concurrent requests from 3 clients exactly', async () => {
    const report = await usageReport(harness.fetch, '?since=1h');
    expect(report.totals).toMatchObject({ requests: 1000, failed: 0 });
    expect(report.clients.map((c: any) => [c.client, c.requests])).toEqual([['alpha', 400], ['beta', 350], ['gamma', 250]]);
    expect(report.operations.map((o: any) => [o.operation, o.requests, o.clients])).toEqual([['Catalog', 525, 2], ['Profile', 475, 2]]);
    expect(Object.fromEntries(report.fields.map((f: any) => [f.coordinate, f.count]))).toEqual({
      'Query.topProducts': 525, 'Product.name': 1050, 'Product.price': 1050, 'Query.user': 475, 'User.name': 475,
    });
    expect(Object.fromEntries(report.services.map((s: any) => [s.service, s.calls]))).toEqual({ products: 525, users: 475 });
    expect(report.slowestFields.map((f: any) => f.coordinate)).toContain('Query.topProducts');
  });

  it('narrows the report to one client and one operation', async () => {
    const gamma = await usageReport(harness.fetch, '?client=gamma');
    expect(gamma.operations.map((o: any) => [o.operation, o.requests])).toEqual([['Catalog', 125], ['Profile', 125]]);
    expect(Object.fromEntries(gamma.services.map((s: any) => [s.service, s.calls]))).toEqual({ products: 125, users: 125 });
    const catalog = await usageReport(harness.fetch, '?client=alpha&operation=Catalog');
    expect(catalog.totals.requests).toBe(400);
    expect(catalog.fields.find((f: any) => f.coordinate === 'Product.name').count).toBe(800);
  });

  it('lists the fields of the registered schema nobody requested in the period', async () => {
    const report = await usageReport(harness.fetch);
    expect(report.unusedFields).toContain('User.email');
    expect(report.unusedFields).toContain('Mutation.placeOrder');
    expect(report.unusedFields).not.toContain('Product.name');
    const beta = await usageReport(harness.fetch, '?client=beta');
    expect(beta.unusedFields).toContain('Product.name');
  });

  it('reads an older period from coarser buckets and finds nothing before the traffic', async () => {
    const old = await usageReport(harness.fetch, `?from=${Date.now() - 3 * 86_400_000}&to=${Date.now() - 2 * 86_400_000}`);
    expect(old.resolution).toBe('hour');
    expect(old.totals.requests).toBe(0);
    const week = await usageReport(harness.fetch, '?since=30d');
    expect(week.resolution).toBe('day');
    expect(week.totals.requests).toBe(1000);
  });

  it.each([
    { query: '', headers: {}, status: 401 },
    { query: '', headers: { authorization: 'Bearer not-the-admin-token' }, status: 401 },
    { query: '?since=yesterday', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, status: 400 },
    { query: '?from=2026-13-45', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, status: 400 },
    { query: '?limit=0', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, status: 400 },
  ] as Array<{ query: string; headers: Record<string, string>; status: number }>)('answers GET /admin/usage$query with $status for those credentials', async ({ query, headers, status }) => {
    const res = await harness.fetch(`/admin/usage${query}`, { headers });
    expect(res.status).toBe(status);
    expect((await res.json()).error).toEqual(expect.any(String));
  });
});
