import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';
import type { Telemetry } from '../../src/telemetry/index.js';
import { startHarness, usageReport } from './harness.js';

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
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1 });
    registry = await demoRegistryFor(mocks);
  });
  afterAll(async () => {
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });
  const fieldRecords = (gw: RunningGateway) => gw.logs().filter((l) => l['msg'] === 'operation fields') as Array<Record<string, any>>;
  const accessLines = (gw: RunningGateway) => gw.logs().filter((l) => l['msg'] === 'request') as Array<Record<string, any>>;

  it('records every resolved field of a cross-service query exactly once, with the service that produced it', async () => {
    await using gw = await startGateway({ registry: registry.dir, telemetry: { fields: { detail: 'all' } } });
    const { body } = await gw.query(DEMO_QUERY);
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
    expect(record).toMatchObject({ operation: 'Demo', client: 'anonymous', failed: false, requestId: accessLines(gw)[0]!['requestId'] });
  });

  it('always puts per-field counts and timings in the access log line, matching the resolutions', async () => {
    await using gw = await startGateway({ registry: registry.dir, telemetry: { fields: { detail: 'all' } } });
    await gw.query(DEMO_QUERY);
    const resolutions = fieldRecords(gw)[0]!['resolutions'] as Array<{ parentType: string; field: string }>;
    const expected: Record<string, number> = {};
    for (const r of resolutions) expected[`${r.parentType}.${r.field}`] = (expected[`${r.parentType}.${r.field}`] ?? 0) + 1;
    const summary = accessLines(gw)[0]!['operations'][0]['fields'] as Record<string, [number, number]>;
    expect(Object.fromEntries(Object.entries(summary).map(([c, [n]]) => [c, n]))).toEqual(expected);
    expect(summary['Product.name']).toEqual([12, expect.any(Number)]);
  });

  it.each([
    { detail: 'none', query: '{ topProducts(first: 2) { name } }', fault: false, records: 0, operation: 'a fast successful operation' },
    { detail: 'slow-or-failed', query: '{ topProducts(first: 2) { name } }', fault: false, records: 0, operation: 'a fast successful operation' },
    { detail: 'slow-or-failed', query: '{ user(id: "1") { name } }', fault: true, records: 1, operation: 'an operation whose service is down' },
    { detail: 'sampled', query: '{ topProducts(first: 2) { name } }', fault: false, records: 0, operation: 'an unsampled successful operation' },
    { detail: 'all', query: '{ topProducts(first: 2) { name } }', fault: false, records: 1, operation: 'a fast successful operation' },
  ] as const)('with detail "$detail", $operation gets $records detailed record(s) and always a field summary', async ({ detail, query, fault, records }) => {
    await using gw = await startGateway({ registry: registry.dir, telemetry: { fields: { detail, sampleRate: 0 } } });
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
    await using gw = await startGateway({ registry: registry.dir, telemetry: { fields: { detail: 'all' } } });
    await gw.query('{ topProducts(first: 2) { name } }');
    for (let i = 0; i < 2; i++) expect((await gw.gateway.reload()).ok).toBe(true);
    await gw.query('{ topProducts(first: 2) { name } }');
    const last = fieldRecords(gw).at(-1)!['resolutions'] as Array<{ path: string }>;
    expect(last.map((r) => r.path)).toEqual(['topProducts', 'topProducts.0.name', 'topProducts.1.name']);
    expect(accessLines(gw).at(-1)!['operations'][0]['fields']).toEqual({ 'Query.topProducts': [1, expect.any(Number)], 'Product.name': [2, expect.any(Number)] });
  });

  it('adds bulk per-coordinate counts from an engine without per-field resolvers (the query planner) to the operation', async () => {
    const coordinates = ['Product.price', 'Nope.unknown', 'Query.users'];
    // The plugin stands in for the planner's executor, which reports `projection.coordinates` and `counts`.
    const engine: { telemetry?: Telemetry } = {};
    const harness = await startHarness(registry.dir, {}, undefined, [
      { onExecute: ({ args }) => engine.telemetry!.recordFieldCounts(args.contextValue, coordinates, Uint32Array.from([5, 9, 1])) },
    ]);
    engine.telemetry = harness.telemetry;
    try {
      await harness.query('query Bulk { topProducts(first: 2) { name } }', { client: 'planner-client' });
      const line = harness.logs().find((l) => l['msg'] === 'request')!;
      expect(line['operations'][0]['fields']).toEqual({
        'Query.topProducts': [1, expect.any(Number)], 'Product.name': [2, 0], 'Product.price': [5, 0], 'Query.users': [1, 0],
      });
      const report = await usageReport(harness.fetch, '?client=planner-client');
      expect(Object.fromEntries(report.fields.map((f: any) => [f.coordinate, f.count]))).toEqual({ 'Query.topProducts': 1, 'Product.name': 2, 'Product.price': 5, 'Query.users': 1 });
    } finally {
      await harness[Symbol.asyncDispose]();
    }
  });

  it('details operations slower than slowMs', async () => {
    await using gw = await startGateway({ registry: registry.dir, telemetry: { fields: { detail: 'slow-or-failed', slowMs: 0 } } });
    await gw.query('{ topProducts(first: 1) { name } }');
    expect(fieldRecords(gw)).toMatchObject([{ slow: true, failed: false, resolutions: [{ path: 'topProducts' }, { path: 'topProducts.0.name' }] }]);
  });
});
