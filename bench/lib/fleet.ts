import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startNode, type BenchProcess } from './processes.js';

const root = new URL('../..', import.meta.url).pathname;

export interface MockFleetProcesses {
  replicas: Array<BenchProcess & { service: string }>;
  /** Requests all replicas have received so far (outside /__mock). */
  upstreamRequests(): Promise<number>;
  /** A copy of the demo registry pointing at these replicas. */
  registryDir: string;
  stop(): Promise<void>;
}

/** Starts every demo service replica as its own process (pinned to `cpu`) plus a registry for them. */
export async function startMockFleet(replicas: Record<string, number>, cpu?: number): Promise<MockFleetProcesses> {
  const started = await Promise.all(
    Object.entries(replicas).flatMap(([service, count]) =>
      Array.from({ length: count }, async () => ({
        service,
        ...(await startNode(['services-mock/replica.ts', '--service', service, '--port', '0'], { cpu, label: service })),
      })),
    ),
  );
  const registryDir = await mkdtemp(join(tmpdir(), 'junction-bench-'));
  await cp(join(root, 'schemas'), registryDir, { recursive: true });
  for (const service of new Set(started.map((r) => r.service))) {
    const file = join(registryDir, service, 'service.yaml');
    let manifest: { kind: string; endpoints: Array<{ url: string }>; balancing?: { routing?: unknown } };
    try {
      manifest = parse(await readFile(file, 'utf8'));
    } catch {
      continue;
    }
    const suffix = manifest.kind === 'rest' ? '' : '/graphql';
    manifest.endpoints = started.filter((r) => r.service === service).map((r) => ({ url: r.url + suffix }));
    // Routing rules name subsets of the demo's endpoints, which were just replaced.
    delete manifest.balancing?.routing;
    await writeFile(file, stringify(manifest));
  }
  return {
    replicas: started,
    registryDir,
    async upstreamRequests() {
      const stats = await Promise.all(started.map(async (r) => ((await (await fetch(`${r.url}/__mock/stats`)).json()) as { requests: number }).requests));
      return stats.reduce((a, b) => a + b, 0);
    },
    async stop() {
      await Promise.all(started.map((r) => r.stop()));
      await rm(registryDir, { recursive: true, force: true });
    },
  };
}
