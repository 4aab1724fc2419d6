import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfigInput } from '../../src/config/index.js';
import { clientToken } from '../auth/auth-helpers.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';
import { fieldCounts, usageReport } from './demo-callers.js';

const DEMO_QUERY = readFileSync(new URL('../../services-mock/demo-query.graphql', import.meta.url), 'utf8');

/** Every response path a resolver produced: object keys, and list items of object lists. */
function responsePaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => responsePaths(item, `${prefix}.${i}`));
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...responsePaths(child, path)];
  });
}

/** True when the gateway's query planner executes this query (else graphql-tools does). */
function servedByPlanner(gw: RunningGateway, query: string): boolean {
  const graph = gw.gateway.graph()!;
  return graph.fastPath?.canExecute({ schema: graph.schema, document: parse(query) }) ?? false;
}

/** Both execution engines: the query planner (the default) and graphql-tools' delegation. */
const ENGINES = [{ engine: 'the query planner', queryPlanner: true }, { engine: 'graphql-tools', queryPlanner: false }] as const;

const ADMIN_TOKEN = 'fields-admin-token-0123456789';

const OWNER: Record<string, string> = {
  'Query.topProducts': 'products', 'Query.user': 'users',
  'Product.id': 'products', 'Product.name': 'products', 'Product.price': 'products', 'Product.reviews': 'reviews',
  'Review.rating': 'reviews', 'Review.body': 'reviews', 'Review.author': 'reviews',
  'User.name': 'users', 'User.orders': 'orders',
  'Order.id': 'orders', 'Order.total': 'orders', 'Order.lines': 'orders', 'OrderLine.quantity': 'orders', 'OrderLine.product': 'orders',
};

describe('field resolution records', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  beforeAll(async () => {
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1, auth: 1 });
    registry = await demoRegistryFor(mocks);
  });
  /** A gateway that issues real tokens (the demo auth service checks the credentials). */
  const gateway = (config: GatewayConfigInput) =>
    startGateway({ registry: registry.dir, auth: { authService: { url: mocks.auth![0]!.url } }, authz: { enabled: false }, ...config, telemetry: { admin: { token: ADMIN_TOKEN }, ...config.telemetry } });
  /** Request headers of the inventory-service client, signed in through the gateway's /auth/token. */
  const inventoryService = async (gw: RunningGateway) => ({ authorization: `Bearer ${(await clientToken(gw.url, 'inventory-service', 'inventory-secret')).access_token}` });
  afterAll(async () => {
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });
  const fieldRecords = (gw: RunningGateway) => gw.logs().filter((l) => l['msg'] === 'operation fields') as Array<Record<string, any>>;
  const accessLines = (gw: RunningGateway) => gw.logs().filter((l) => l['msg'] === 'request' && l['path'] === '/graphql') as Array<Record<string, any>>;

  it.each(ENGINES)('records every resolved field of a cross-service query exactly once, with its service and the client of the token ($engine)', async ({ queryPlanner }) => {
    await using gw = await gateway({ execution: { queryPlanner }, telemetry: { fields: { detail: 'all' } } });
    expect(servedByPlanner(gw, DEMO_QUERY)).toBe(queryPlanner);
    const { body } = await gw.query(DEMO_QUERY, undefined, await inventoryService(gw));
    expect(body.errors).toBeUndefined();
    const [record, ...more] = fieldRecords(gw);
    expect(more).toHaveLength(0);
    const resolutions = record!['resolutions'] as Array<{ path: string; parentType: string; field: string; service: string; ms: number }>;
    const paths = resolutions.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect([...paths].sort()).toEqual(responsePaths(body.data).sort());
    for (const r of resolutions) {
      expect({ path: r.path, service: r.service }).toEqual({ path: r.path, service: OWNER[`${r.parentType}.${r.field}`] });
      expect(r.ms).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(resolutions.map((r) => r.service))).toEqual(new Set(['products', 'reviews', 'users', 'orders']));
    // Root fields wait for their service's answer: both engines time them by it.
    for (const root of ['topProducts', 'user']) expect(resolutions.find((r) => r.path === root)!.ms).toBeGreaterThan(0);
    expect(record).toMatchObject({ operation: 'Demo', client: 'inventory-service', failed: false, requestId: accessLines(gw)[0]!['requestId'] });
  });

  it.each(ENGINES)('always puts per-field counts and timings in the access log line, matching the resolutions ($engine)', async ({ queryPlanner }) => {
    await using gw = await gateway({ execution: { queryPlanner }, telemetry: { fields: { detail: 'all' } } });
    await gw.query(DEMO_QUERY);
    const resolutions = fieldRecords(gw)[0]!['resolutions'] as Array<{ parentType: string; field: string }>;
    const expected: Record<string, number> = {};
    for (const r of resolutions) expected[`${r.parentType}.${r.field}`] = (expected[`${r.parentType}.${r.field}`] ?? 0) + 1;
    const summary = accessLines(gw)[0]!['operations'][0]['fields'] as Record<string, [number, number]>;
    expect(Object.fromEntries(Object.entries(summary).map(([c, [n]]) => [c, n]))).toEqual(expected);
    expect(summary['Product.name']).toEqual([12, expect.any(Number)]);
    expect(summary['Query.topProducts']![1]).toBeGreaterThan(0);
  });

  it.each([
    { detail: 'none', query: '{ topProducts(first: 2) { name } }', fault: false, records: 0, operation: 'a fast successful operation' },
    { detail: 'slow-or-failed', query: '{ topProducts(first: 2) { name } }', fault: false, records: 0, operation: 'a fast successful operation' },
    { detail: 'slow-or-failed', query: '{ user(id: "1") { name } }', fault: true, records: 1, operation: 'an operation whose service is down' },
    { detail: 'sampled', query: '{ topProducts(first: 2) { name } }', fault: false, records: 0, operation: 'an unsampled successful operation' },
    { detail: 'all', query: '{ topProducts(first: 2) { name } }', fault: false, records: 1, operation: 'a fast successful operation' },
  ] as const)('with detail "$detail", $operation gets $records detailed record(s) and always a field summary', async ({ detail, query, fault, records }) => {
    await using gw = await gateway({ telemetry: { fields: { detail, sampleRate: 0 } } });
    if (fault) mocks.users![0]!.setFault('down');
    try {
      await gw.query(query);
    } finally {
      mocks.users![0]!.setFault('ok');
    }
    expect(fieldRecords(gw)).toHaveLength(records);
    expect(accessLines(gw)[0]!['operations'][0]['fields']).toBeDefined();
    if (fault) {
      expect(fieldRecords(gw)[0]).toMatchObject({
        failed: true,
        resolutions: [{ path: 'user', parentType: 'Query', field: 'user', service: 'users', error: { message: 'Service "users" is unavailable', code: 'UPSTREAM_UNAVAILABLE' } }],
      });
    }
  });

  it('counts each resolution once after hot reloads swap in new graphs', async () => {
    await using gw = await gateway({ telemetry: { fields: { detail: 'all' } } });
    await gw.query('{ topProducts(first: 2) { name } }');
    for (let i = 0; i < 2; i++) expect((await gw.gateway.reload()).ok).toBe(true);
    await gw.query('{ topProducts(first: 2) { name } }');
    const last = fieldRecords(gw).at(-1)!['resolutions'] as Array<{ path: string }>;
    expect(last.map((r) => r.path)).toEqual(['topProducts', 'topProducts.0.name', 'topProducts.1.name']);
    expect(accessLines(gw).at(-1)!['operations'][0]['fields']).toEqual({ 'Query.topProducts': [1, expect.any(Number)], 'Product.name': [2, expect.any(Number)] });
  });

  it('meters planner-executed operations for the client of the token: field counts, and the fields that wait for a fetch timed by it', async () => {
    await using gw = await gateway({});
    const query = 'query Bulk { topProducts(first: 2) { name reviews { rating } } }';
    expect(servedByPlanner(gw, query)).toBe(true);
    const { body } = await gw.query(query, undefined, await inventoryService(gw));
    const reviews = (body.data.topProducts as Array<{ reviews: unknown[] }>).reduce((n, p) => n + p.reviews.length, 0);
    expect(reviews).toBeGreaterThan(0);
    const line = accessLines(gw)[0]!;
    expect(line).toMatchObject({ client: 'inventory-service', clientId: 'inventory-service' });
    // topProducts waits for the products fetch, each product's reviews for the reviews entity fetch; the rest is read from answers.
    const fields = line['operations'][0]['fields'] as Record<string, [number, number]>;
    expect(fields).toEqual({ 'Query.topProducts': [1, expect.any(Number)], 'Product.name': [2, 0], 'Product.reviews': [2, expect.any(Number)], 'Review.rating': [reviews, 0] });
    expect(fields['Query.topProducts']![1]).toBeGreaterThan(0);
    expect(fields['Product.reviews']![1]).toBeGreaterThan(0);
    const report = await usageReport(gw, `Bearer ${ADMIN_TOKEN}`, '?client=inventory-service');
    expect(fieldCounts(report)).toEqual({ 'Query.topProducts': 1, 'Product.name': 2, 'Product.reviews': 2, 'Review.rating': reviews });
    expect(report.slowestFields.map((f) => [f.coordinate, f.count]).sort()).toEqual([['Product.reviews', 2], ['Query.topProducts', 1]]);
    for (const field of report.slowestFields) expect(field.avgMs).toBeGreaterThan(0);
  });

  it('writes at most maxDetailedPerSecond detailed records a second, counts the ones it skips, and still counts every field', async () => {
    await using gw = await gateway({ telemetry: { fields: { detail: 'all', maxDetailedPerSecond: 1 } } });
    for (let i = 0; i < 5; i++) await gw.query('{ topProducts(first: 1) { name } }');
    const written = fieldRecords(gw).length;
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    const skipped = Number(/^junction_field_records_skipped_total (\d+)$/m.exec(metrics)?.[1]);
    // One a second: the first is written; the others come well within a second of it (a slow machine may refill one).
    expect(written).toBeGreaterThanOrEqual(1);
    expect(written).toBeLessThanOrEqual(2);
    expect(written + skipped).toBe(5);
    expect(accessLines(gw).map((l) => l['operations'][0].fields)).toEqual(Array(5).fill({ 'Query.topProducts': [1, expect.any(Number)], 'Product.name': [1, 0] }));
  });

  it('details operations slower than slowMs', async () => {
    await using gw = await gateway({ telemetry: { fields: { detail: 'slow-or-failed', slowMs: 0 } } });
    await gw.query('{ topProducts(first: 1) { name } }');
    expect(fieldRecords(gw)).toMatchObject([{ slow: true, failed: false, resolutions: [{ path: 'topProducts' }, { path: 'topProducts.0.name' }] }]);
  });
});
