import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { RunningMock } from '../../services-mock/mock-server.js';

export const DEMO_REGISTRY = new URL('../../schemas/', import.meta.url).pathname;

export interface TempRegistry extends AsyncDisposable {
  dir: string;
  write(file: string, text: string): Promise<void>;
  read(file: string): Promise<string>;
}

/** A throw-away registry folder: empty, or a copy of the demo registry. */
export async function tempRegistry(from?: string): Promise<TempRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-registry-'));
  if (from) await cp(from, dir, { recursive: true });
  return {
    dir,
    write: async (file, text) => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), text);
    },
    read: (file) => readFile(join(dir, file), 'utf8'),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The demo registry, with each service's endpoints pointed at the given running replicas. */
export async function demoRegistryFor(fleet: Record<string, RunningMock[]>): Promise<TempRegistry> {
  const registry = await tempRegistry(DEMO_REGISTRY);
  for (const [name, replicas] of Object.entries(fleet)) {
    const file = join(name, 'service.yaml');
    let manifest: { kind: string; endpoints: Array<{ url: string }>; balancing?: { routing?: unknown } };
    try {
      manifest = parse(await registry.read(file));
    } catch {
      continue; // not a registered graph service (e.g. auth)
    }
    const suffix = manifest.kind === 'rest' ? '' : '/graphql';
    manifest.endpoints = replicas.map((r) => ({ url: r.url + suffix, weight: 1, region: 'local' }));
    // Routing rules name subsets of the demo's endpoints, which were just replaced.
    delete manifest.balancing?.routing;
    await registry.write(file, stringify(manifest));
  }
  return registry;
}
