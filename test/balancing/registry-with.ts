import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEMO_REGISTRY, tempRegistry, type TempRegistry } from '../helpers/registry.js';

export interface ServiceSpec {
  endpoints: Array<{ url: string; weight?: number; region?: string; subsets?: string[] }>;
  balancing?: Record<string, unknown>;
  timeoutMs?: number;
  totalTimeoutMs?: number;
}

/** A registry holding only the given demo services (their demo SDL), with these endpoints and settings. */
export async function registryWith(services: Record<string, ServiceSpec>): Promise<TempRegistry> {
  const registry = await tempRegistry();
  for (const [name, spec] of Object.entries(services)) {
    const demo = parse(await readFile(join(DEMO_REGISTRY, name, 'service.yaml'), 'utf8')) as { kind: string };
    await registry.write(join(name, 'schema.graphql'), await readFile(join(DEMO_REGISTRY, name, 'schema.graphql'), 'utf8'));
    await registry.write(join(name, 'service.yaml'), stringify({ name, kind: demo.kind, timeoutMs: 1000, ...spec }));
  }
  return registry;
}
