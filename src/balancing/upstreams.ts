import type { ServiceDefinition } from '../registry/index.js';
import { createBalancedFetcher, type BalancedFetcher } from './balanced-fetcher.js';
import type { UpstreamObserver } from './upstream-types.js';

export interface Upstreams extends AsyncDisposable {
  /** The fetcher for a service; reused across graph rebuilds while its endpoints are unchanged. */
  fetcherFor(service: ServiceDefinition): BalancedFetcher;
  /**
   * Keeps only the fetchers of `services`; the others are closed after `graceMs`, so requests still
   * running on the previous graph can finish.
   */
  retainOnly(services: readonly ServiceDefinition[], graceMs: number): void;
  close(): Promise<void>;
}

interface Entry {
  signature: string;
  fetcher: BalancedFetcher;
}

export interface UpstreamsOptions {
  /** Told about every upstream attempt of every service. */
  observer?: UpstreamObserver;
}

/** Owns every service's balanced fetcher for the life of the gateway. */
export function createUpstreams({ observer }: UpstreamsOptions = {}): Upstreams {
  const entries = new Map<string, Entry>();
  const retiring = new Map<BalancedFetcher, NodeJS.Timeout>();

  const retire = (fetcher: BalancedFetcher, graceMs: number) => {
    const timer = setTimeout(() => {
      retiring.delete(fetcher);
      void fetcher.close();
    }, graceMs);
    retiring.set(fetcher, timer.unref());
  };

  function fetcherFor(service: ServiceDefinition): BalancedFetcher {
    const signature = JSON.stringify({ endpoints: service.endpoints, timeoutMs: service.timeoutMs });
    const entry = entries.get(service.name);
    if (entry?.signature === signature) return entry.fetcher;
    const fetcher = createBalancedFetcher({ service: service.name, endpoints: service.endpoints, timeoutMs: service.timeoutMs, observer });
    if (entry) retire(entry.fetcher, 30_000);
    entries.set(service.name, { signature, fetcher });
    return fetcher;
  }

  function retainOnly(services: readonly ServiceDefinition[], graceMs: number) {
    const keep = new Set(services.map((s) => s.name));
    for (const [name, entry] of entries) {
      if (keep.has(name)) continue;
      entries.delete(name);
      retire(entry.fetcher, graceMs);
    }
  }

  const close = async () => {
    const fetchers = [...entries.values()].map((e) => e.fetcher);
    for (const [fetcher, timer] of retiring) {
      clearTimeout(timer);
      fetchers.push(fetcher);
    }
    entries.clear();
    retiring.clear();
    await Promise.all(fetchers.map((f) => f.close()));
  };
  return { fetcherFor, retainOnly, close, [Symbol.asyncDispose]: close };
}
