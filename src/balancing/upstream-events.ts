import type { BalancingAlgorithm } from '../registry/index.js';
import type { UpstreamFailureKind } from './upstream-types.js';

/**
 * Where an endpoint stands, most severe first: `unhealthy` (failed active health checks),
 * `ejected` (too many failures in real traffic, for a while), `slow-start` (back, traffic ramping
 * up), `healthy`.
 */
export type EndpointState = 'unhealthy' | 'ejected' | 'slow-start' | 'healthy';

/** An endpoint changed state. Every one is logged; telemetry counts them (ejections, re-admissions). */
export interface EndpointStateEvent {
  type: 'endpoint-state';
  service: string;
  /** The endpoint's URL: for logs and metrics, never for clients. */
  endpoint: string;
  region: string;
  from: EndpointState;
  to: EndpointState;
  /** Why, in words (e.g. "5 consecutive failures (last: connect)"). */
  reason: string;
  /** Ejections of this endpoint so far. */
  ejections: number;
  /** Length of this ejection, when `to` is `ejected`. */
  ejectedForMs?: number;
}

/** The traffic plan of a service changed: panic mode, or the share each region gets. */
export interface ServiceStateEvent {
  type: 'service-state';
  service: string;
  panic: boolean;
  /** Share of new requests per region (sums to 1). */
  regionShares: Record<string, number>;
  /** Available endpoints / all endpoints. */
  available: number;
  total: number;
}

export type UpstreamEvent = EndpointStateEvent | ServiceStateEvent;

/** Told about every state change; must not throw or block. */
export type UpstreamEventListener = (event: UpstreamEvent) => void;

/** One endpoint as `GET /admin/upstreams` shows it. */
export interface EndpointSnapshot {
  url: string;
  region: string;
  weight: number;
  /** Weight used right now (lower during slow start). */
  effectiveWeight: number;
  subsets: readonly string[];
  state: EndpointState;
  /** Requests being served right now. */
  inFlight: number;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  ejections: number;
  /** ISO time the current ejection ends. */
  ejectedUntil?: string;
  /** Latency of answered calls, exponentially weighted. */
  latencyEwmaMs: number;
  lastFailure?: UpstreamFailureKind;
  /** Active health checks, when configured. */
  healthCheck?: { passing: boolean; consecutivePasses: number; consecutiveFailures: number; lastCheckedAt?: string };
}

export interface ServiceSnapshot {
  name: string;
  algorithm: BalancingAlgorithm;
  panic: boolean;
  regionShares: Record<string, number>;
  /** Calls and retries in the retry budget's window (10 s), and how many retries it allows now. */
  retryBudget: { requests: number; retries: number; allowed: number };
  endpoints: EndpointSnapshot[];
}

export interface UpstreamsSnapshot {
  /** The gateway's own region. */
  region: string;
  services: ServiceSnapshot[];
}
