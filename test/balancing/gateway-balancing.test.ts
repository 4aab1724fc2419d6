import { describe, expect, it } from 'vitest';
import type { UpstreamsSnapshot } from '../../src/balancing/index.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks } from '../helpers/mocks.js';
import { registryWith, type ServiceSpec } from './registry-with.js';
import { startReplicas, waitFor } from './replica-process.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const USER_QUERY = '{ user(id: "1") { name } }';

async function gatewayFor(users: ServiceSpec, config: Record<string, unknown> = {}) {
  const registry = await registryWith({ users });
  // Every client query must reach a replica: no sharing of identical concurrent calls here.
  const gw = await startGateway({ registry: registry.dir, balancing: { admin: { token: ADMIN_TOKEN } }, execution: { dedupeInflight: false }, ...config });
  return Object.assign(gw, {
    [Symbol.asyncDispose]: async () => {
      await gw.gateway.close();
      await registry[Symbol.asyncDispose]();
    },
  });
}

async function snapshot(gw: RunningGateway): Promise<UpstreamsSnapshot> {
  return (await (await fetch(`${gw.url}/admin/upstreams`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as UpstreamsSnapshot;
}

/** Sequential queries; returns how many of them failed. */
async function queries(gw: RunningGateway, n: number, headers: Record<string, string> = {}): Promise<number> {
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const { body } = await gw.query(USER_QUERY, undefined, headers);
    if (body.errors || body.data?.user?.name !== 'Alice Liddell') failed++;
  }
  return failed;
}

describe('balancing through the gateway', () => {
  it('spreads queries over real replica processes 3:1 by weight, interleaved', async () => {
    await using replicas = await startReplicas('users', 2);
    await using gw = await gatewayFor({ endpoints: replicas.map((r, i) => ({ url: `${r.url}/graphql`, weight: i === 0 ? 3 : 1 })) });
    expect(await queries(gw, 200)).toBe(0);
    const counts = await Promise.all(replicas.map(async (r) => (await r.stats()).requests));
    expect(counts).toEqual([150, 50]);
  });

  it('prefers the idle replica with least-requests when the other is slow', async () => {
    await using mocks = await startMocks({ users: 2 });
    const [slow, fast] = mocks.users!;
    slow!.setFault('slow', 1000);
    await using gw = await gatewayFor({ endpoints: mocks.users!.map((m) => ({ url: `${m.url}/graphql` })), timeoutMs: 3000, balancing: { algorithm: 'least-requests' } });
    // 4 clients in a loop, 100 queries: the slow replica keeps requests in flight, so it loses the
    // comparison whenever the fast one has fewer, and ties go to the fast one's lower latency EWMA.
    let sent = 0;
    const client = async () => {
      while (sent < 100) {
        sent++;
        expect((await gw.query(USER_QUERY)).body.errors).toBeUndefined();
      }
    };
    await Promise.all(Array.from({ length: 4 }, client));
    expect(slow!.stats().requests + fast!.stats().requests).toBe(100);
    expect(slow!.stats().requests).toBeLessThanOrEqual(12); // round robin would send it 50
  });

  it('ejects a replica after the configured consecutive failures and sends it nothing while ejected', async () => {
    await using mocks = await startMocks({ users: 2 });
    const [sick, well] = mocks.users!;
    sick!.setFault('error');
    await using gw = await gatewayFor({
      endpoints: mocks.users!.map((m) => ({ url: `${m.url}/graphql` })),
      balancing: { algorithm: 'round-robin', outlierDetection: { consecutiveFailures: 3, baseEjectionMs: 60_000 } },
    });
    expect(await queries(gw, 30)).toBe(0); // each failure was retried on the healthy replica
    expect(sick!.stats().requests).toBe(3);
    expect(well!.stats().requests).toBe(30);
    const [sickState] = (await snapshot(gw)).services[0]!.endpoints;
    expect(sickState).toMatchObject({ state: 'ejected', ejections: 1, failures: 3, successes: 0, lastFailure: 'bad-response' });
    expect(Date.parse(sickState!.ejectedUntil!)).toBeGreaterThan(Date.now() + 50_000);
    expect(gw.logs().find((l) => l['msg'] === 'upstream endpoint ejected')).toMatchObject({
      level: 'warn', module: 'balancing', upstream: 'users', endpoint: `${sick!.url}/graphql`, from: 'healthy', to: 'ejected', ejectedForMs: 60_000,
      reason: '3 consecutive failures (last: bad-response)',
    });
  });

  it('spreads traffic over every replica in panic mode, when all of them fail their health checks', async () => {
    await using mocks = await startMocks({ users: 2 });
    await using gw = await gatewayFor({
      endpoints: mocks.users!.map((m) => ({ url: `${m.url}/graphql` })),
      // A path both replicas answer 404: the checks fail, though the service itself works.
      balancing: { healthCheck: { path: '/__mock/no-such-health-path', intervalMs: 50, timeoutMs: 500, unhealthyThreshold: 1 } },
    });
    await waitFor(async () => (await snapshot(gw)).services[0]!.panic, 'panic mode');
    expect(await queries(gw, 10)).toBe(0);
    expect(mocks.users!.map((m) => m.stats().requests)).toEqual([5, 5]);
    const users = (await snapshot(gw)).services[0]!;
    expect(users.endpoints.map((e) => e.state)).toEqual(['unhealthy', 'unhealthy']);
    expect(gw.logs().find((l) => String(l['msg']).startsWith('upstream panic mode'))).toMatchObject({ level: 'warn', panic: true, available: 0, total: 2 });
  });

  it('routes requests with the canary header to the canary subset and all others to the stable endpoints', async () => {
    await using mocks = await startMocks({ users: 3 });
    const [stable1, stable2, canary] = mocks.users!;
    await using gw = await gatewayFor({
      endpoints: [
        { url: `${stable1!.url}/graphql` },
        { url: `${stable2!.url}/graphql` },
        { url: `${canary!.url}/graphql`, subsets: ['canary'] },
      ],
      balancing: { routing: { rules: [{ name: 'testers', header: { name: 'X-Canary', value: '1' }, subset: 'canary' }] } },
    });
    expect(await queries(gw, 10, { 'x-canary': '1' })).toBe(0);
    expect(await queries(gw, 10)).toBe(0);
    expect(await queries(gw, 4, { 'x-canary': '0' })).toBe(0);
    expect(mocks.users!.map((m) => m.stats().requests)).toEqual([7, 7, 10]);
  });

  it('falls back to the default endpoints when every endpoint of a rule\'s subset is down', async () => {
    await using mocks = await startMocks({ users: 2 });
    const [stable, canary] = mocks.users!;
    await using gw = await gatewayFor({
      endpoints: [{ url: `${stable!.url}/graphql` }, { url: `${canary!.url}/graphql`, subsets: ['canary'] }],
      balancing: {
        healthCheck: { path: '/healthz', intervalMs: 50, timeoutMs: 300, unhealthyThreshold: 1 },
        routing: { rules: [{ header: { name: 'x-canary' }, subset: 'canary' }] },
      },
    });
    canary!.setFault('down');
    await waitFor(async () => (await snapshot(gw)).services[0]!.endpoints[1]!.state === 'unhealthy', 'the canary to be unhealthy');
    expect(await queries(gw, 5, { 'x-canary': '1' })).toBe(0);
    expect(stable!.stats().requests).toBe(5);
  });

  it('caps retries with the retry budget (20% of calls) when a replica keeps failing', async () => {
    await using mocks = await startMocks({ users: 2 });
    const [sick, well] = mocks.users!;
    sick!.setFault('error');
    await using gw = await gatewayFor({
      endpoints: mocks.users!.map((m) => ({ url: `${m.url}/graphql` })),
      balancing: { algorithm: 'round-robin', outlierDetection: { enabled: false }, retries: { budgetPercent: 20, minRetriesPerSecond: 0 } },
    });
    const failed = await queries(gw, 40);
    // Round robin: 20 calls start on the sick replica; each retry moves one of them to the well one.
    expect(sick!.stats().requests).toBe(20);
    const retries = well!.stats().requests - 20;
    expect(retries).toBeGreaterThan(0);
    expect(retries).toBeLessThanOrEqual(8); // 20% of 40 calls
    expect(failed).toBe(20 - retries);
    expect((await snapshot(gw)).services[0]!.retryBudget).toMatchObject({ requests: 40, retries });
  });
});

describe('GET /admin/upstreams', () => {
  it('lists every endpoint with state, region, weight, in-flight, counts, ejections and latency EWMA', async () => {
    await using mocks = await startMocks({ users: 2 });
    await using gw = await gatewayFor({
      endpoints: [{ url: `${mocks.users![0]!.url}/graphql`, weight: 2, region: 'eu-west' }, { url: `${mocks.users![1]!.url}/graphql`, region: 'us-east' }],
    }, { balancing: { region: 'eu-west', admin: { token: ADMIN_TOKEN } } });
    expect(await queries(gw, 3)).toBe(0);
    const res = await fetch(`${gw.url}/admin/upstreams`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as UpstreamsSnapshot;
    expect(body).toMatchObject({
      region: 'eu-west',
      services: [{
        name: 'users', algorithm: 'weighted', panic: false, regionShares: { 'eu-west': 1 }, retryBudget: { requests: 3, retries: 0 },
        endpoints: [
          { url: `${mocks.users![0]!.url}/graphql`, region: 'eu-west', weight: 2, effectiveWeight: 2, subsets: [], state: 'healthy', inFlight: 0, successes: 3, failures: 0, consecutiveFailures: 0, ejections: 0 },
          { url: `${mocks.users![1]!.url}/graphql`, region: 'us-east', weight: 1, state: 'healthy', successes: 0, ejections: 0, latencyEwmaMs: 0 },
        ],
      }],
    });
    expect(body.services[0]!.endpoints[0]!.latencyEwmaMs).toBeGreaterThan(0);
  });

  it.each([
    { name: 'no token', headers: {} as Record<string, string>, status: 401 },
    { name: 'a wrong token', headers: { authorization: 'Bearer wrong-token-wrong-token' }, status: 401 },
    { name: 'a token of another scheme', headers: { authorization: `Basic ${ADMIN_TOKEN}` }, status: 401 },
  ])('answers 401 to a request with $name, without listing anything', async ({ headers, status }) => {
    await using mocks = await startMocks({ users: 1 });
    await using gw = await gatewayFor({ endpoints: [{ url: `${mocks.users![0]!.url}/graphql` }] });
    const res = await fetch(`${gw.url}/admin/upstreams`, { headers });
    expect(res.status).toBe(status);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="junction-admin"');
    const text = await res.text();
    expect(text).not.toContain('127.0.0.1');
    expect(JSON.parse(text)).toEqual({ error: 'An admin bearer token is required' });
  });

  it('is closed (403) until an admin token is configured', async () => {
    await using mocks = await startMocks({ users: 1 });
    await using gw = await gatewayFor({ endpoints: [{ url: `${mocks.users![0]!.url}/graphql` }] }, { balancing: {} });
    const res = await fetch(`${gw.url}/admin/upstreams`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'Admin routes are disabled: set balancing.admin.token (or JUNCTION_ADMIN_TOKEN)' });
  });

  it('answers 405 to anything but GET', async () => {
    await using mocks = await startMocks({ users: 1 });
    await using gw = await gatewayFor({ endpoints: [{ url: `${mocks.users![0]!.url}/graphql` }] });
    const res = await fetch(`${gw.url}/admin/upstreams`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
