import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startMockFleet, type MockFleetProcesses } from '../lib/fleet.js';
import { measure, ratioTable, resultsTable, settingsLine, type Target } from '../lib/measure.js';
import { startNode } from '../lib/processes.js';
import { formatNumber } from '../lib/table.js';

/** One upstream call per request, so the balancer's share of the gateway's work is as large as it gets. */
export const USER_BODY = JSON.stringify({ query: '{ user(id: "1") { id name email } }' });

/**
 * A registry holding only `users` (the fleet's copy of the demo registry, other services removed),
 * with the given endpoints and balancing block.
 */
export async function usersOnlyRegistry(fleet: MockFleetProcesses, endpoints: Array<{ url: string }>, balancing: Record<string, unknown>): Promise<string> {
  for (const service of ['products', 'reviews', 'orders']) await rm(join(fleet.registryDir, service), { recursive: true, force: true });
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
  const env = { JUNCTION_CONFIG: '' };
  const fixed = await startNode(['src/cli.ts', 'serve', '--registry', fixedDir, '--port', '0'], { cpu: 1, label: 'gateway (fixed)', env });
  const balanced = await startNode(['src/cli.ts', 'serve', '--registry', balancedDir, '--port', '0'], { cpu: 1, label: 'gateway (balanced)', env });
  try {
    const targets: Target[] = [
      { name: 'balanced (2 replicas, all checks on)', process: balanced, body: USER_BODY, upstream: () => balancedFleet.upstreamRequests() },
      { name: 'single fixed endpoint', process: fixed, body: USER_BODY, upstream: () => fixedFleet.upstreamRequests() },
    ];
    const rows = await measure(targets);
    const [withBalancer, baseline] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const cost = 1 - withBalancer.rps / baseline.rps;
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
    ].join('\n');
  } finally {
    await Promise.all([fixed.stop(), balanced.stop()]);
    await Promise.all([fixedFleet.stop(), balancedFleet.stop()]);
  }
}
