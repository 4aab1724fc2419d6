import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/index.js';
import { createRedisUsageStore, createUsageMeter, counterName } from '../../src/telemetry/usage/index.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';
import { CLIENT_KEY, fieldCounts, signIn, usageReport } from './demo-callers.js';

const TOKEN = 'redis-admin-token-0123456789';
const QUERY = 'query Catalog { topProducts(first: 2) { name } }';

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const report = (gw: RunningGateway) => usageReport(gw, `Bearer ${TOKEN}`, '?since=1h');

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

/** n requests at once with a caller's token; every one must be answered. */
async function load(gw: RunningGateway, n: number, headers: { authorization: string }): Promise<void> {
  const results = await Promise.all(Array.from({ length: n }, () => gw.query(QUERY, undefined, headers)));
  expect(results.filter((r) => r.status !== 200 || r.body.errors)).toEqual([]);
}

describe('metering in Redis', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1, auth: 1 });
    registry = await demoRegistryFor(mocks);
  });
  afterAll(async () => {
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
    await redis?.[Symbol.asyncDispose]();
  });
  const gatewayOnRedis = (keyPrefix: string) =>
    startGateway({
      registry: registry.dir,
      redis: { url: redis.url, keyPrefix },
      auth: { authService: { url: mocks.auth![0]!.url } },
      telemetry: { admin: { token: TOKEN }, metering: { flushIntervalMs: 100 } },
    });

  it('loses and double-counts nothing when Redis restarts mid-run', async () => {
    await using gw = await gatewayOnRedis('restart:');
    // JWTs: verified in the process, so they keep working while Redis is away.
    const { inventory, alice } = await signIn(gw.url);
    const meter = gw.gateway.telemetry!.meter!;
    await Promise.all([load(gw, 70, inventory), load(gw, 50, alice)]);
    await until(() => meter.buffered() === 0, 'the first flush');
    // A real restart: Redis saves and exits, the gateway keeps serving, Redis comes back with its data.
    const admin = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    admin.on('error', () => {});
    await admin.connect();
    void admin.call('SHUTDOWN', 'SAVE').catch(() => undefined);
    await until(() => isDown(redis.port), 'redis to exit');
    admin.disconnect();
    await Promise.all([load(gw, 40, inventory), load(gw, 40, alice)]);
    await new Promise((r) => setTimeout(r, 300)); // several failed flushes while Redis is away
    expect(meter.buffered()).toBeGreaterThan(0);
    await redis.start();
    await load(gw, 50, inventory);
    await until(() => meter.buffered() === 0, 'the buffered counts to reach Redis');
    const usage = await report(gw);
    expect(usage.totals.requests).toBe(250);
    expect(usage.clients.map((c) => [c.client, c.requests])).toEqual([['inventory-service', 160], [CLIENT_KEY.alice, 90]]);
    expect(fieldCounts(usage)['Product.name']).toBe(500);
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(Number(/^junction_usage_flush_failures_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^junction_usage_dropped_total 0$/m);
  });

  it('adds up the counts of two gateway instances sharing one Redis, per client', async () => {
    await using a = await gatewayOnRedis('shared:');
    await using b = await gatewayOnRedis('shared:');
    // Opaque tokens live in the shared Redis: issued by a, accepted by both.
    const { inventory, backoffice } = await signIn(a.url, 'opaque');
    await Promise.all([load(a, 100, inventory), load(a, 50, backoffice), load(b, 130, inventory), load(b, 100, backoffice)]);
    await b.gateway.telemetry!.meter!.flush();
    const usage = await report(a); // a flushes its own buffer first; b's counts are in Redis already
    expect(usage.totals.requests).toBe(380);
    expect(usage.clients.map((c) => [c.client, c.requests])).toEqual([['inventory-service', 230], ['backoffice', 150]]);
    expect(usage.operations).toEqual([expect.objectContaining({ operation: 'Catalog', requests: 380, clients: 2 })]);
    expect(fieldCounts(usage)['Product.name']).toBe(760);
    expect(usage.services.find((s) => s.service === 'products')!.calls).toBe(380);
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
