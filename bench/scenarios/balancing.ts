import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { createBalancedFetcher } from '../../src/balancing/index.js';
import { balancingManifestSchema } from '../../src/registry/index.js';
import { startMockFleet, type MockFleetProcesses } from '../lib/fleet.js';
import { measure, ratioTable, resultsTable, ROUNDS, settingsLine, type Target } from '../lib/measure.js';
import { startNode } from '../lib/processes.js';
import { formatNumber, markdownTable } from '../lib/table.js';
import { WITHOUT_AUTHZ_CONFIG } from './authz.js';

/** One upstream call per request, so the balancer's share of the gateway's work is as large as it gets. */
export const USER_BODY = JSON.stringify({ query: '{ user(id: "1") { id name email } }' });

/**
 * A registry holding only `users` (the fleet's copy of the demo registry, other services removed),
 * with the given endpoints and balancing block.
 */
export async function usersOnlyRegistry(fleet: MockFleetProcesses, endpoints: Array<{ url: string }>, balancing: Record<string, unknown>): Promise<string> {
  // Every folder but users goes, so services added to the demo later cannot leave dangling merges behind.
  for (const entry of await readdir(fleet.registryDir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'users') await rm(join(fleet.registryDir, entry.name), { recursive: true, force: true });
  }
  const manifest = { name: 'users', kind: 'graphql', timeoutMs: 2000, balancing, endpoints };
  await writeFile(join(fleet.registryDir, 'users', 'service.yaml'), stringify(manifest));
  return fleet.registryDir;
}

/**
 * The cost of balancing: the same gateway and query, once with `users` as one fixed endpoint (no
 * health checks, no outlier detection, no retries: the plainest path through the fetcher) and once
 * balanced over two replicas with everything on (weighted picks, health checks every second,
 * outlier detection, retry budget, locality plan).
 */
export async function balancingOverhead(): Promise<string> {
  const fixedFleet = await startMockFleet({ users: 1 }, 0);
  const balancedFleet = await startMockFleet({ users: 2 }, 0);
  const fixedDir = await usersOnlyRegistry(fixedFleet, [{ url: `${fixedFleet.replicas[0]!.url}/graphql` }], {
    algorithm: 'round-robin', outlierDetection: { enabled: false }, retries: { maxRetries: 0 },
  });
  const balancedDir = await usersOnlyRegistry(balancedFleet, balancedFleet.replicas.map((r) => ({ url: `${r.url}/graphql` })), {
    algorithm: 'weighted',
    healthCheck: { path: '/healthz', intervalMs: 1000, timeoutMs: 500 },
    outlierDetection: { consecutiveFailures: 3 },
    retries: { maxRetries: 1 },
  });
  const env = { JUNCTION_CONFIG: WITHOUT_AUTHZ_CONFIG };
  const fixed = await startNode(['src/cli.ts', 'serve', '--registry', fixedDir, '--port', '0'], { cpu: 1, label: 'gateway (fixed)', env });
  const balanced = await startNode(['src/cli.ts', 'serve', '--registry', balancedDir, '--port', '0'], { cpu: 1, label: 'gateway (balanced)', env });
  try {
    const targets: Target[] = [
      { name: 'balanced (2 replicas, all checks on)', process: balanced, body: USER_BODY, upstream: () => balancedFleet.upstreamRequests() },
      { name: 'single fixed endpoint', process: fixed, body: USER_BODY, upstream: () => fixedFleet.upstreamRequests() },
    ];
    const rows = await measure(targets);
    const calls = await fetcherCpuPerCall(balancedFleet.replicas.map((r) => `${r.url}/graphql`));
    const [withBalancer, baseline] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const cost = 1 - withBalancer.rps / baseline.rps;
    const extraMicros = calls[1]!.cpuMicros - calls[0]!.cpuMicros;
    return [
      '## Balancer overhead: two balanced replicas vs one fixed endpoint',
      '',
      `Query \`{ user(id: "1") { id name email } }\` (one upstream call per request). ${settingsLine()}; gateways pinned to CPU 1, replicas and autocannon on CPU 0.`,
      '',
      resultsTable(rows),
      '',
      ratioTable(rows, baseline),
      '',
      `Throughput cost of balancing: **${formatNumber(cost * 100)}%** (target: under 3%; negative means the balanced gateway was faster within noise).`,
      '',
      'The fetcher alone, in the bench process, against the same two replicas: two bare undici pools taken in turn (the least a client can do)',
      `and the balanced fetcher (weighted, health checks, outlier detection, retry budget, locality plan); 16 concurrent, ${formatNumber(FETCHER_CALLS)} calls per round, ${ROUNDS} interleaved rounds.`,
      'CPU time (user + system) is counted, so other load on the machine does not blur it; it includes undici\'s own work in both rows.',
      '',
      markdownTable(['client', 'CPU µs per call', 'ratio'], calls.map((c) => [c.name, c.cpuMicros, c.cpuMicros / calls[0]!.cpuMicros])),
      '',
      `Balancing adds **${formatNumber(extraMicros)} µs** of CPU per upstream call: **${formatNumber((extraMicros / (withBalancer.cpuMsPerRequest * 1000)) * 100)}%** of the balanced gateway's CPU per request above (${formatNumber(withBalancer.cpuMsPerRequest * 1000)} µs).`,
      'This is the figure to trust on a busy machine; the req/s ratio above also carries the noise of everything else running.',
    ].join('\n');
  } finally {
    await Promise.all([fixed.stop(), balanced.stop()]);
    await Promise.all([fixedFleet.stop(), balancedFleet.stop()]);
  }
}

const FETCHER_CALLS = 20_000;

/** CPU per upstream call: bare pools against the balanced fetcher, same requests, same replicas. */
async function fetcherCpuPerCall(urls: string[]): Promise<Array<{ name: string; cpuMicros: number }>> {
  const request = {
    method: 'POST', path: '', idempotent: true,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ user(id: "1") { id name email } }' }),
  };
  // The baseline is the least a client for two replicas can do: two bare pools, taken in turn.
  const pools = urls.map((url) => ({ pool: new Pool(new URL(url).origin, { connections: 64 }), path: new URL(url).pathname }));
  let turn = 0;
  const fetcher = createBalancedFetcher({
    service: 'users', endpoints: urls.map((url) => ({ url })), timeoutMs: 2000,
    balancing: balancingManifestSchema.parse({ healthCheck: { path: '/healthz', intervalMs: 1000 }, outlierDetection: { consecutiveFailures: 3 } }),
  });
  const clients: Array<{ name: string; call: () => Promise<unknown> }> = [
    {
      name: 'two bare undici pools, in turn',
      call: async () => {
        const { pool, path } = pools[turn++ % pools.length]!;
        const res = await pool.request({ method: 'POST', path, headers: request.headers, body: request.body, signal: AbortSignal.timeout(2000) });
        return res.body.text();
      },
    },
    { name: 'balanced fetcher', call: () => fetcher.request(request) },
  ];
  const cpu = clients.map(() => 0);
  const run = async (call: () => Promise<unknown>, n: number) => {
    let started = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (started++ < n) await call();
    }));
  };
  try {
    for (const client of clients) await run(client.call, 2000); // warm-up: connections, JIT
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, client] of clients.entries()) {
        const before = process.cpuUsage();
        await run(client.call, FETCHER_CALLS);
        const used = process.cpuUsage(before);
        cpu[i]! += used.user + used.system;
      }
    }
  } finally {
    await Promise.all([...pools.map((p) => p.pool.close()), fetcher.close()]);
  }
  return clients.map((client, i) => ({ name: client.name, cpuMicros: cpu[i]! / (FETCHER_CALLS * ROUNDS) }));
}
