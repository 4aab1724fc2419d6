import { Pool } from 'undici';
import type { Endpoint } from '../registry/index.js';
import type { PickerCandidate } from './pickers.js';
import type { EndpointSnapshot, EndpointState } from './upstream-events.js';
import type { UpstreamFailureKind } from './upstream-types.js';

/** One endpoint of a service at run time: its connection pool, its health and its counters. */
export interface EndpointRuntime extends PickerCandidate {
  readonly url: string;
  readonly region: string;
  readonly subsets: readonly string[];
  /** Weight from service.yaml. */
  readonly configuredWeight: number;
  /** Weight the algorithm balances with when not in slow start (1 for round robin). */
  readonly baseWeight: number;
  /** Path of the endpoint URL, prefixed to every request path ('' for '/'). */
  readonly basePath: string;
  readonly pool: Pool;
  /** Effective weight now: baseWeight × slow-start factor. */
  weight: number;
  current: number;
  inFlight: number;
  latencyEwmaMs: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  lastFailure?: UpstreamFailureKind;
  ejections: number;
  /** Multiplier of the next ejection's length; decays while the endpoint behaves. */
  ejectionLevel: number;
  /** When the current ejection ends (epoch ms); 0 when not ejected. */
  ejectedUntil: number;
  /** When the endpoint last came back from an ejection (epoch ms). */
  returnedAt: number;
  /** Active health: false after `unhealthyThreshold` failed checks, until `healthyThreshold` pass. */
  passing: boolean;
  checkPasses: number;
  checkFailures: number;
  lastCheckedAt?: number;
  /** Slow start window (epoch ms); slowStartUntil 0 when not ramping. */
  slowStartSince: number;
  slowStartUntil: number;
  /** Last state reported, to log changes only. */
  state: EndpointState;
}

export interface EndpointPoolOptions {
  connections: number;
  connectTimeoutMs: number;
}

export function createEndpointRuntime(endpoint: Endpoint, baseWeight: number, pool: EndpointPoolOptions): EndpointRuntime {
  const url = new URL(endpoint.url);
  return {
    url: endpoint.url,
    region: endpoint.region,
    subsets: endpoint.subsets,
    configuredWeight: endpoint.weight,
    baseWeight,
    basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''),
    pool: new Pool(url.origin, { connections: pool.connections, keepAliveTimeout: 10_000, connect: { timeout: pool.connectTimeoutMs } }),
    weight: baseWeight,
    current: 0,
    inFlight: 0,
    latencyEwmaMs: 0,
    successes: 0,
    failures: 0,
    consecutiveFailures: 0,
    ejections: 0,
    ejectionLevel: 0,
    ejectedUntil: 0,
    returnedAt: 0,
    passing: true,
    checkPasses: 0,
    checkFailures: 0,
    slowStartSince: 0,
    slowStartUntil: 0,
    state: 'healthy',
  };
}

/** Eligible for traffic outside panic mode. */
export function isAvailable(endpoint: EndpointRuntime): boolean {
  return endpoint.passing && endpoint.ejectedUntil === 0;
}

export function stateOf(endpoint: EndpointRuntime): EndpointState {
  if (!endpoint.passing) return 'unhealthy';
  if (endpoint.ejectedUntil !== 0) return 'ejected';
  if (endpoint.slowStartUntil !== 0) return 'slow-start';
  return 'healthy';
}

const EWMA_ALPHA = 0.3;

/** Folds one answered call's latency into the endpoint's EWMA (the first sample sets it). */
export function recordLatency(endpoint: EndpointRuntime, ms: number): void {
  endpoint.latencyEwmaMs = endpoint.latencyEwmaMs === 0 ? ms : endpoint.latencyEwmaMs + EWMA_ALPHA * (ms - endpoint.latencyEwmaMs);
}

export function snapshotEndpoint(endpoint: EndpointRuntime, withHealthCheck: boolean): EndpointSnapshot {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    url: endpoint.url,
    region: endpoint.region,
    weight: endpoint.configuredWeight,
    effectiveWeight: round((endpoint.weight / endpoint.baseWeight) * endpoint.configuredWeight),
    subsets: endpoint.subsets,
    state: stateOf(endpoint),
    inFlight: endpoint.inFlight,
    successes: endpoint.successes,
    failures: endpoint.failures,
    consecutiveFailures: endpoint.consecutiveFailures,
    ejections: endpoint.ejections,
    ...(endpoint.ejectedUntil ? { ejectedUntil: new Date(endpoint.ejectedUntil).toISOString() } : {}),
    latencyEwmaMs: round(endpoint.latencyEwmaMs),
    ...(endpoint.lastFailure ? { lastFailure: endpoint.lastFailure } : {}),
    ...(withHealthCheck
      ? {
          healthCheck: {
            passing: endpoint.passing,
            consecutivePasses: endpoint.checkPasses,
            consecutiveFailures: endpoint.checkFailures,
            ...(endpoint.lastCheckedAt ? { lastCheckedAt: new Date(endpoint.lastCheckedAt).toISOString() } : {}),
          },
        }
      : {}),
  };
}
