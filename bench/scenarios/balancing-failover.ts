import autocannon from 'autocannon';
import { startMockFleet } from '../lib/fleet.js';
import { CONNECTIONS, DURATION } from '../lib/measure.js';
import { startNode, type BenchProcess } from '../lib/processes.js';
import { markdownTable } from '../lib/table.js';
import { USER_BODY, usersOnlyRegistry } from './balancing.js';
import { WITHOUT_AUTHZ_CONFIG } from './authz.js';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';

interface Phase {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Non-2xx, socket errors, timeouts, and answers that differ from the expected one (GraphQL errors). */
  failed: number;
}

async function load(name: string, url: string, expectBody: string, durationS: number): Promise<Phase> {
  const result = await autocannon({
    url: `${url}/graphql`, method: 'POST', headers: { 'content-type': 'application/json' }, body: USER_BODY,
    duration: durationS, connections: CONNECTIONS, expectBody,
  });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    failed: result.non2xx + result.errors + result.timeouts + result.mismatches,
  };
}

async function endpointState(gateway: BenchProcess, url: string): Promise<string | undefined> {
  const res = await fetch(`${gateway.url}/admin/upstreams`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const body = (await res.json()) as { services: Array<{ endpoints: Array<{ url: string; state: string }> }> };
  return body.services[0]?.endpoints.find((e) => e.url === url)?.state;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A replica SIGKILLed in the middle of a steady load: how many client requests fail (target 0) and
 * what the p99 is while the gateway notices (retries, ejection, health checks). Then the replica is
 * started again on its port and the gateway takes it back (health checks, slow start).
 */
export async function balancingFailover(): Promise<string> {
  const fleet = await startMockFleet({ users: 3 }, 0);
  const endpoints = fleet.replicas.map((r) => ({ url: `${r.url}/graphql` }));
  const registry = await usersOnlyRegistry(fleet, endpoints, {
    healthCheck: { path: '/healthz', intervalMs: 500, timeoutMs: 300, unhealthyThreshold: 2, healthyThreshold: 2 },
    outlierDetection: { consecutiveFailures: 3 },
    slowStartMs: 3000,
  });
  const gateway = await startNode(['src/cli.ts', 'serve', '--registry', registry, '--port', '0'], {
    cpu: 1, label: 'gateway', env: { JUNCTION_CONFIG: WITHOUT_AUTHZ_CONFIG, JUNCTION_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  const victim = fleet.replicas[0]!;
  let revived: BenchProcess | undefined;
  try {
    const expected = await (await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: USER_BODY })).text();
    if (expected.includes('"errors"')) throw new Error(`the warm-up query failed: ${expected}`);
    await load('warm-up', gateway.url, expected, 3);
    const phaseS = Math.max(3, Math.round(DURATION / 2));
    const phases: Phase[] = [];
    phases.push(await load('steady, 3 replicas', gateway.url, expected, phaseS));
    // The kill lands 500 ms into the failover phase, under full load.
    const kill = setTimeout(() => process.kill(victim.pid, 'SIGKILL'), 500);
    phases.push(await load('failover: 1 of 3 SIGKILLed 0.5 s in', gateway.url, expected, phaseS));
    clearTimeout(kill);
    const stateAfterKill = await endpointState(gateway, endpoints[0]!.url);
    phases.push(await load('after, 2 replicas', gateway.url, expected, phaseS));
    revived = await startNode(['services-mock/replica.ts', '--service', 'users', '--port', new URL(victim.url).port], { cpu: 0, label: 'users (restarted)' });
    await until(async () => ['slow-start', 'healthy'].includes((await endpointState(gateway, endpoints[0]!.url)) ?? ''), 'the restarted replica to be re-admitted');
    const readmitted = await load('re-admitted (slow start 3 s)', gateway.url, expected, phaseS);
    const servedAfterReturn = ((await (await fetch(`${revived.url}/__mock/stats`)).json()) as { requests: number }).requests;
    phases.push(readmitted);
    const totalFailed = phases.reduce((n, p) => n + p.failed, 0);
    return [
      '## Failover: a replica killed under load',
      '',
      `Query \`{ user(id: "1") { id name email } }\` over 3 \`users\` replicas (weighted, health checks every 500 ms, ejection after 3 failures, retries within the budget), ${CONNECTIONS} connections, ${phaseS} s per phase. Every answer is compared with the expected body, so a GraphQL error counts as failed.`,
      '',
      markdownTable(
        ['phase', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'failed'],
        phases.map((p) => [p.name, String(p.requests), p.rps, p.p50, p.p99, p.max, String(p.failed)]),
      ),
      '',
      `Failed client requests over the whole run: **${totalFailed}** (target 0). The killed replica was \`${stateAfterKill}\` at the end of the failover phase; after its restart it served ${servedAfterReturn} requests in the re-admitted phase.`,
    ].join('\n');
  } finally {
    await gateway.stop();
    await revived?.stop();
    await fleet.stop();
  }
}
