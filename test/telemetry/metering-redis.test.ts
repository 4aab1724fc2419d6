import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/index.js';
import { createRedisUsageStore, createUsageMeter, counterName } from '../../src/telemetry/usage/index.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';

const TOKEN = 'redis-admin-token-0123456789';
const QUERY = 'query Catalog { topProducts(first: 2) { name } }';

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function report(gw: RunningGateway): Promise<any> {
  const res = await fetch(`${gw.url}/admin/usage?since=1h`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.json();
}

function isDown(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const load = (gw: RunningGateway, n: number) => Promise.all(Array.from({ length: n }, () => gw.query(QUERY)));

describe('metering in Redis', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1 });
    registry = await demoRegistryFor(mocks);
  });
  afterAll(async () => {
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
    await redis?.[Symbol.asyncDispose]();
  });
  const gatewayOnRedis = (keyPrefix: string) =>
    startGateway({ registry: registry.dir, redis: { url: redis.url, keyPrefix }, telemetry: { admin: { token: TOKEN }, metering: { flushIntervalMs: 100 } } });

  it('loses and double-counts nothing when Redis restarts mid-run', async () => {
    await using gw = await gatewayOnRedis('restart:');
    const meter = gw.gateway.telemetry!.meter!;
    await load(gw, 120);
    await until(() => meter.buffered() === 0, 'the first flush');
    // A real restart: Redis saves and exits, the gateway keeps serving, Redis comes back with its data.
    const admin = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    admin.on('error', () => {});
    await admin.connect();
    void admin.call('SHUTDOWN', 'SAVE').catch(() => undefined);
    await until(() => isDown(redis.port), 'redis to exit');
    admin.disconnect();
    await load(gw, 80);
    await new Promise((r) => setTimeout(r, 300)); // several failed flushes while Redis is away
    expect(meter.buffered()).toBeGreaterThan(0);
    await redis.start();
    await load(gw, 50);
    await until(() => meter.buffered() === 0, 'the buffered counts to reach Redis');
    const usage = await report(gw);
    expect(usage.totals.requests).toBe(250);
    expect(usage.fields.find((f: any) => f.coordinate === 'Product.name').count).toBe(500);
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(Number(/^junction_usage_flush_failures_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^junction_usage_dropped_total 0$/m);
  });

  it('adds up the counts of two gateway instances sharing one Redis', async () => {
    await using a = await gatewayOnRedis('shared:');
    await using b = await gatewayOnRedis('shared:');
    await Promise.all([load(a, 150), load(b, 230)]);
    await b.gateway.telemetry!.meter!.flush();
    const usage = await report(a); // a flushes its own buffer first; b's counts are in Redis already
    expect(usage.totals.requests).toBe(380);
    expect(usage.operations).toEqual([expect.objectContaining({ operation: 'Catalog', requests: 380 })]);
    expect(usage.fields.find((f: any) => f.coordinate === 'Product.name').count).toBe(760);
    expect(usage.services.find((s: any) => s.service === 'products').calls).toBe(380);
  });

  it('applies a batch chunk once even when it is sent again (a retry after a lost reply)', async () => {
    const client = new Redis(redis.url, { keyPrefix: 'replay:' });
    try {
      const store = createRedisUsageStore(client);
      const chunk = { id: 'instance-1:7', size: 1, counters: new Map([['m:60000', new Map([[counterName('o', 'alpha', 'Op'), 5]])]]) };
      expect(await store.write([chunk], Date.now())).toEqual([true]);
      expect(await store.write([chunk], Date.now())).toEqual([true]);
      expect(await store.read(['m:60000'])).toEqual(new Map([[counterName('o', 'alpha', 'Op'), 5]]));
    } finally {
      client.disconnect();
    }
  });

  it('bounds the buffer while Redis is down and counts what it had to drop', async () => {
    const client = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    let dropped = 0;
    const meter = createUsageMeter({
      store: createRedisUsageStore(client), flushIntervalMs: 60_000, maxBufferedCounters: 64,
      logger: createLogger({ level: 'silent' }), onDropped: (n) => (dropped += n), onFlushFailed: () => {},
    });
    try {
      for (let i = 0; i < 200; i++) meter.operation('alpha', `Op${i}`, 1, false);
      await meter.flush();
      expect(meter.buffered()).toBeLessThanOrEqual(64);
      expect(dropped).toBeGreaterThan(0);
      meter.operation('alpha', 'Op0', 1, false); // counters already buffered keep counting
      await meter.flush();
      expect(meter.buffered()).toBeLessThanOrEqual(64);
    } finally {
      client.disconnect();
      await Promise.race([meter.close(), new Promise((r) => setTimeout(r, 500))]);
    }
  });
});
