import { describe, expect, it } from 'vitest';
import type { UpstreamsSnapshot } from '../../src/balancing/index.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { registryWith } from './registry-with.js';
import { startReplica, startReplicas, waitFor } from './replica-process.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const USER_QUERY = '{ user(id: "1") { name } }';
const PLACE_ORDER = 'mutation { placeOrder(input: { userId: "2", lines: [{ productId: "3", quantity: 1 }] }) { id total } }';

async function upstreams(gw: RunningGateway): Promise<UpstreamsSnapshot> {
  const res = await fetch(`${gw.url}/admin/upstreams`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return (await res.json()) as UpstreamsSnapshot;
}
const endpointState = async (gw: RunningGateway, url: string) =>
  (await upstreams(gw)).services[0]!.endpoints.find((e) => e.url === url)?.state;

/** Sequential queries; returns how many failed. */
async function queries(gw: RunningGateway, n: number): Promise<number> {
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const { body } = await gw.query(USER_QUERY);
    if (body.errors || body.data?.user?.name !== 'Alice Liddell') failed++;
  }
  return failed;
}

const HEALTH_CHECK = { path: '/healthz', intervalMs: 100, timeoutMs: 300, unhealthyThreshold: 2, healthyThreshold: 2 };

describe('replicas killed by PID', () => {
  it('loses zero client queries when a replica is SIGKILLed under steady load while another is healthy', async () => {
    await using replicas = await startReplicas('users', 2);
    const [a, b] = replicas;
    await using registry = await registryWith({
      users: {
        endpoints: replicas.map((r) => ({ url: `${r.url}/graphql` })),
        balancing: { healthCheck: HEALTH_CHECK, outlierDetection: { consecutiveFailures: 2 }, retries: { minRetriesPerSecond: 50 } },
      },
    });
    await using gw = await startGateway({ registry: registry.dir, balancing: { admin: { token: ADMIN_TOKEN } } });

    let ok = 0;
    let failed = 0;
    let running = true;
    const worker = async () => {
      while (running) {
        const { body } = await gw.query(USER_QUERY);
        if (!body.errors && body.data?.user?.name === 'Alice Liddell') ok++;
        else failed++;
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    try {
      await waitFor(async () => (await a!.stats()).requests >= 10 && (await b!.stats()).requests >= 10, 'both replicas to serve traffic');
      await a!.kill();
      const okAtKill = ok;
      await waitFor(async () => ['ejected', 'unhealthy'].includes((await endpointState(gw, `${a!.url}/graphql`))!), 'the killed replica to leave the pool');
      await waitFor(() => ok >= okAtKill + 100, '100 more answered queries after the kill');
    } finally {
      running = false;
      await Promise.all(workers);
    }
    expect(failed).toBe(0);
    expect(ok).toBeGreaterThan(100);
    const snapshot = await upstreams(gw);
    expect(snapshot.services[0]!.endpoints.find((e) => e.url === `${b!.url}/graphql`)).toMatchObject({ state: 'healthy' });
    expect(gw.logs().some((l) => l['msg'] === 'upstream endpoint ejected' || l['msg'] === 'upstream endpoint unhealthy')).toBe(true);
  });

  it('executes a mutation exactly once when the replica dies after receiving it: the client gets an error, no duplicate order', async () => {
    await using replicas = await startReplicas('orders', 2);
    await using registry = await registryWith({ orders: { endpoints: replicas.map((r) => ({ url: r.url })), timeoutMs: 8000 } });
    // Balancing, not authorization: the demo's directives (placeOrder needs a token) are tested in test/authz.
    await using gw = await startGateway({ registry: registry.dir, authz: { enabled: false } });
    // Both replicas hold requests, so the one that gets the order can be killed while "processing" it.
    await Promise.all(replicas.map((r) => r.setFault('slow', 20_000)));

    const pending = gw.query(PLACE_ORDER);
    let receiver: (typeof replicas)[number] | undefined;
    await waitFor(async () => {
      for (const r of replicas) if ((await r.stats()).byRoute['POST /orders'] === 1) receiver = r;
      return receiver !== undefined;
    }, 'a replica to receive the order');
    await receiver!.kill();
    const { status, body } = await pending;

    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      { message: 'Service "orders" is unavailable', path: ['placeOrder'], locations: [{ line: 1, column: 12 }], extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'orders' } },
    ]);
    const other = replicas.find((r) => r !== receiver)!;
    expect((await other.stats()).byRoute['POST /orders']).toBeUndefined();
  });

  it('retries a mutation on another replica when the connection is refused, since it never reached the service', async () => {
    await using replicas = await startReplicas('orders', 2);
    const [dead, alive] = replicas;
    await using registry = await registryWith({
      orders: { endpoints: replicas.map((r) => ({ url: r.url })), balancing: { algorithm: 'round-robin', outlierDetection: { enabled: false } } },
    });
    await using gw = await startGateway({ registry: registry.dir, authz: { enabled: false } });
    await dead!.kill();
    for (let i = 0; i < 4; i++) {
      const { body } = await gw.query(PLACE_ORDER);
      expect(body.errors).toBeUndefined();
      expect(body.data.placeOrder.total).toBeGreaterThan(0);
    }
    expect((await alive!.stats()).byRoute['POST /orders']).toBe(4);
  });

  it('re-admits a restarted replica once its health checks pass, ramping its traffic up (slow start)', async () => {
    await using replicas = await startReplicas('users', 2);
    const [a, b] = replicas;
    const aUrl = `${a!.url}/graphql`;
    await using registry = await registryWith({
      users: {
        endpoints: replicas.map((r) => ({ url: `${r.url}/graphql` })),
        balancing: { healthCheck: HEALTH_CHECK, slowStartMs: 2500 },
      },
    });
    await using gw = await startGateway({ registry: registry.dir, balancing: { admin: { token: ADMIN_TOKEN } } });
    await a!.kill();
    await waitFor(async () => (await endpointState(gw, aUrl)) === 'unhealthy', 'the killed replica to fail its health checks');
    await a!.restart();
    await waitFor(async () => (await endpointState(gw, aUrl)) === 'slow-start', 'the restarted replica to pass its health checks');

    await b!.reset();
    expect(await queries(gw, 20)).toBe(0);
    const [ramping, full] = [(await a!.stats()).requests, (await b!.stats()).requests];
    expect(ramping + full).toBe(20);
    expect(ramping).toBeGreaterThanOrEqual(1);
    expect(ramping).toBeLessThan(full);
    const during = (await upstreams(gw)).services[0]!.endpoints.find((e) => e.url === aUrl)!;
    expect(during.effectiveWeight).toBeLessThan(during.weight);

    await waitFor(async () => (await endpointState(gw, aUrl)) === 'healthy', 'slow start to complete', 15_000);
    await Promise.all([a!.reset(), b!.reset()]);
    expect(await queries(gw, 20)).toBe(0);
    const counts = [(await a!.stats()).requests, (await b!.stats()).requests];
    expect(Math.abs(counts[0]! - counts[1]!)).toBeLessThanOrEqual(2);
    const messages = gw.logs().filter((l) => l['endpoint'] === aUrl).map((l) => l['msg']);
    expect(messages).toEqual(['upstream endpoint unhealthy', 'upstream endpoint re-admitted (slow start)', 'upstream endpoint healthy']);
  });

  it('fails over to the next region when the local one dies, and fails back once it recovers', async () => {
    await using local = await startReplica('users');
    await using remote = await startReplica('users');
    await using registry = await registryWith({
      users: {
        endpoints: [{ url: `${local.url}/graphql`, region: 'eu-west' }, { url: `${remote.url}/graphql`, region: 'us-east' }],
        balancing: { healthCheck: HEALTH_CHECK, slowStartMs: 0, outlierDetection: { consecutiveFailures: 2 } },
      },
    });
    await using gw = await startGateway({
      registry: registry.dir,
      balancing: { region: 'eu-west', failoverOrder: ['us-east'], admin: { token: ADMIN_TOKEN } },
    });
    const shares = async () => (await upstreams(gw)).services[0]!.regionShares;

    expect(await queries(gw, 10)).toBe(0);
    expect([(await local.stats()).requests, (await remote.stats()).requests]).toEqual([10, 0]);

    await local.kill();
    expect(await queries(gw, 10)).toBe(0); // retried on the remote region while the local one is noticed
    await waitFor(async () => JSON.stringify(await shares()) === '{"us-east":1}', 'traffic to move to us-east');
    await remote.reset();
    expect(await queries(gw, 10)).toBe(0);
    expect((await remote.stats()).requests).toBe(10);

    // Restart once the health checks have seen it down, so that their passing again is a recovery.
    await waitFor(async () => (await endpointState(gw, `${local.url}/graphql`)) === 'unhealthy', 'health checks to fail on eu-west');
    await local.restart();
    await waitFor(async () => JSON.stringify(await shares()) === '{"eu-west":1}', 'traffic to return to eu-west');
    await remote.reset();
    expect(await queries(gw, 10)).toBe(0);
    expect([(await local.stats()).requests, (await remote.stats()).requests]).toEqual([10, 0]);
    const messages = gw.logs().map((l) => l['msg']);
    expect(messages).toContain('upstream traffic spilling over to other regions');
    expect(messages).toContain('upstream traffic plan restored');
  });
});
