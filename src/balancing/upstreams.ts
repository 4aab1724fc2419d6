import type { BalancingConfig } from '../config/index.js';
import type { ServiceDefinition } from '../registry/index.js';
import { createBalancedFetcher, type BalancedFetcher } from './balanced-fetcher.js';
import type { BalancingLogger } from './endpoint-health.js';
import type { UpstreamEvent, UpstreamEventListener, UpstreamsSnapshot } from './upstream-events.js';
import type { UpstreamObserver } from './upstream-types.js';

export interface Upstreams extends AsyncDisposable {
  /** The fetcher for a service; reused across graph rebuilds while its service.yaml settings are unchanged. */
  fetcherFor(service: ServiceDefinition): BalancedFetcher;
  /**
   * Keeps only the fetchers of `services`; the others stop probing at once and are closed after
   * `graceMs`, so requests still running on the previous graph can finish.
   */
  retainOnly(services: readonly ServiceDefinition[], graceMs: number): void;
  /** Every current service's endpoints (GET /admin/upstreams, metrics gauges). */
  snapshot(): UpstreamsSnapshot;
  /** Adds a state-change listener (ejections, re-admissions, panic, region spill); returns its remover. */
  subscribe(listener: UpstreamEventListener): () => void;
  close(): Promise<void>;
}

export interface UpstreamsOptions {
  /** Told about every upstream attempt of every service. */
  observer?: UpstreamObserver;
  /** Told about every state change of every service (same as `subscribe`). */
  onEvent?: UpstreamEventListener;
  /** Gateway-wide settings (`config.balancing`): own region, failover order, pool size. */
  balancing?: Pick<BalancingConfig, 'region' | 'failoverOrder' | 'overprovisioningFactor' | 'connectionsPerEndpoint'>;
  /** State changes are logged here (pino child logger). */
  logger?: BalancingLogger;
  /** False: no active health checks (e.g. `junction check`). @default true */
  healthChecks?: boolean;
}

interface Entry {
  signature: string;
  fetcher: BalancedFetcher;
}

/** Owns every service's balanced fetcher for the life of the gateway. */
export function createUpstreams(options: UpstreamsOptions = {}): Upstreams {
  const { observer, logger, healthChecks } = options;
  const locality = {
    region: options.balancing?.region ?? 'default',
    failoverOrder: options.balancing?.failoverOrder ?? [],
    overprovisioningFactor: options.balancing?.overprovisioningFactor ?? 1.4,
  };
  const entries = new Map<string, Entry>();
  const retiring = new Map<BalancedFetcher, NodeJS.Timeout>();
  const listeners = new Set<UpstreamEventListener>(options.onEvent ? [options.onEvent] : []);
  const onEvent = (event: UpstreamEvent) => {
    for (const listener of listeners) listener(event);
  };

  const retire = (fetcher: BalancedFetcher, graceMs: number) => {
    fetcher.stop();
    const timer = setTimeout(() => {
      retiring.delete(fetcher);
      void fetcher.close();
    }, graceMs);
    retiring.set(fetcher, timer.unref());
  };

  function fetcherFor(service: ServiceDefinition): BalancedFetcher {
    const { endpoints, timeoutMs, totalTimeoutMs, balancing } = service;
    const signature = JSON.stringify({ endpoints, timeoutMs, totalTimeoutMs, balancing });
    const entry = entries.get(service.name);
    if (entry?.signature === signature) return entry.fetcher;
    const fetcher = createBalancedFetcher({
      service: service.name, endpoints, timeoutMs, totalTimeoutMs, balancing, locality,
      connectionsPerEndpoint: options.balancing?.connectionsPerEndpoint, healthChecks, observer, onEvent, logger,
    });
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
  return {
    fetcherFor,
    retainOnly,
    snapshot: () => ({
      region: locality.region,
      services: [...entries.values()].map((e) => e.fetcher.snapshot()).sort((a, b) => a.name.localeCompare(b.name)),
    }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
