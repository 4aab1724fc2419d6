import type { BalancingManifest } from '../registry/index.js';
import { isAvailable, recordLatency, snapshotEndpoint, stateOf, type EndpointRuntime } from './endpoint.js';
import { createHealthChecker } from './health-checker.js';
import { createOutlierDetector } from './outlier-detector.js';
import { MIN_SLOW_START_FACTOR, slowStartFactor } from './pickers.js';
import { planTraffic, regionShares, type TrafficPlan } from './traffic-plan.js';
import type { EndpointSnapshot, EndpointStateEvent, UpstreamEvent, UpstreamEventListener } from './upstream-events.js';
import type { UpstreamFailureKind } from './upstream-types.js';

/** The slice of pino the balancer logs with (kept structural: balancing does not depend on telemetry). */
export interface BalancingLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface EndpointHealthOptions {
  service: string;
  endpoints: readonly EndpointRuntime[];
  settings: BalancingManifest;
  locality: { region: string; failoverOrder: readonly string[]; overprovisioningFactor: number };
  /** Endpoints of requests that match no routing rule. */
  defaultMembers: readonly EndpointRuntime[];
  logger?: BalancingLogger;
  onEvent?: UpstreamEventListener;
  now: () => number;
}

export interface EndpointHealth {
  start(): void;
  stop(): void;
  /** Outcome of one call: `failure` undefined for success; latency when an answer (or timeout) came. */
  record(endpoint: EndpointRuntime, failure: UpstreamFailureKind | undefined, latencyMs: number | undefined): void;
  /** The traffic plan of a routing subset (undefined: the default endpoints), cached until a state change. */
  planFor(subset: string | undefined): TrafficPlan<EndpointRuntime>;
  /** Updates the weights of endpoints in slow start to now. */
  refreshWeights(): void;
  summary(): { panic: boolean; regionShares: Record<string, number>; endpoints: EndpointSnapshot[] };
}

/**
 * Owns the health of a service's endpoints: active checks and passive outlier detection decide who
 * is available, slow start ramps re-admitted endpoints up, and every change is logged, reported to
 * listeners and invalidates the cached traffic plans.
 */
export function createEndpointHealth(options: EndpointHealthOptions): EndpointHealth {
  const { service, endpoints, settings, locality, logger, now } = options;
  const slowStarting = new Map<EndpointRuntime, NodeJS.Timeout>();
  const plans = new Map<string, { version: number; plan: TrafficPlan<EndpointRuntime> }>();
  let version = 0;
  const planOptions = {
    isAvailable, localRegion: locality.region, failoverOrder: locality.failoverOrder,
    overprovisioningFactor: locality.overprovisioningFactor, panicThresholdPercent: settings.panicThresholdPercent,
  };
  let defaultPlan = planTraffic(options.defaultMembers, planOptions);
  let lastShares = JSON.stringify(regionShares(defaultPlan));

  const emit = (event: UpstreamEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener must never break balancing.
    }
  };

  function transition(endpoint: EndpointRuntime, reason: string, ejectedForMs?: number) {
    const to = stateOf(endpoint);
    const from = endpoint.state;
    if (to === from) return;
    endpoint.state = to;
    const event: EndpointStateEvent = {
      type: 'endpoint-state', service, endpoint: endpoint.url, region: endpoint.region, from, to, reason, ejections: endpoint.ejections,
      ...(ejectedForMs === undefined ? {} : { ejectedForMs }),
    };
    // Logged as `upstream`: the root logger's `service` field names the gateway itself.
    const { type: _type, service: upstream, ...rest } = event;
    const fields = { upstream, ...rest };
    if (to === 'unhealthy' || to === 'ejected') logger?.warn(fields, `upstream endpoint ${to}`);
    else logger?.info(fields, to === 'slow-start' ? 'upstream endpoint re-admitted (slow start)' : 'upstream endpoint healthy');
    emit(event);
  }

  /** Availability changed: drop cached plans and report a changed default plan (panic, regions). */
  function replan() {
    version++;
    const wasPanic = defaultPlan.panic;
    defaultPlan = planTraffic(options.defaultMembers, planOptions);
    const shares = regionShares(defaultPlan);
    const sharesText = JSON.stringify(shares);
    if (wasPanic === defaultPlan.panic && sharesText === lastShares) return;
    lastShares = sharesText;
    const state = { panic: defaultPlan.panic, regionShares: shares, available: defaultPlan.available, total: defaultPlan.total };
    const fields = { upstream: service, ...state };
    if (defaultPlan.panic) logger?.warn(fields, 'upstream panic mode: too few endpoints available, spreading traffic over all of them');
    else if ((shares[locality.region] ?? 0) < 1 && defaultPlan.all.some((e) => e.region === locality.region)) logger?.warn(fields, 'upstream traffic spilling over to other regions');
    else logger?.info(fields, 'upstream traffic plan restored');
    emit({ type: 'service-state', service, ...state });
  }

  /** The endpoint is back in the pool: its traffic ramps up from now (a window in progress restarts). */
  function beginSlowStart(endpoint: EndpointRuntime) {
    endpoint.current = 0;
    cancelSlowStart(endpoint);
    if (settings.slowStartMs === 0) return;
    const at = now();
    endpoint.slowStartSince = at;
    endpoint.slowStartUntil = at + settings.slowStartMs;
    endpoint.weight = endpoint.baseWeight * MIN_SLOW_START_FACTOR;
    slowStarting.set(endpoint, setTimeout(() => endSlowStart(endpoint), settings.slowStartMs).unref());
  }

  function cancelSlowStart(endpoint: EndpointRuntime) {
    clearTimeout(slowStarting.get(endpoint));
    slowStarting.delete(endpoint);
    endpoint.slowStartUntil = 0;
    endpoint.weight = endpoint.baseWeight;
  }

  function endSlowStart(endpoint: EndpointRuntime) {
    slowStarting.delete(endpoint);
    endpoint.slowStartUntil = 0;
    endpoint.weight = endpoint.baseWeight;
    transition(endpoint, 'slow start complete');
  }

  const outliers = createOutlierDetector({
    settings: settings.outlierDetection, endpoints, now,
    onEject(endpoint, ms, reason) {
      cancelSlowStart(endpoint);
      transition(endpoint, reason, ms);
      replan();
    },
    onReturn(endpoint) {
      // Still failing its health checks: it ramps up once they pass, not now.
      if (isAvailable(endpoint)) beginSlowStart(endpoint);
      transition(endpoint, 'ejection time over');
      replan();
    },
    onEjectionRefused: (endpoint, reason) => logger?.warn({ upstream: service, endpoint: endpoint.url, region: endpoint.region }, `upstream endpoint not ejected: ${reason}`),
  });

  const checker = settings.healthCheck
    ? createHealthChecker({
        settings: settings.healthCheck, endpoints, now,
        onChange(endpoint, passing, reason) {
          if (passing) {
            // Checks that failed and now pass saw the endpoint recover: that ends an ejection too
            // (while checks keep passing, they cannot see what got it ejected, so it runs its course).
            if (outliers.cancelEjection(endpoint)) reason += '; ejection ended';
            beginSlowStart(endpoint);
          } else cancelSlowStart(endpoint);
          transition(endpoint, reason);
          replan();
        },
      })
    : undefined;

  function refreshWeights() {
    if (slowStarting.size === 0) return;
    const at = now();
    for (const endpoint of slowStarting.keys()) endpoint.weight = endpoint.baseWeight * slowStartFactor(at, endpoint.slowStartSince, endpoint.slowStartUntil);
  }

  return {
    start: () => checker?.start(),
    stop() {
      checker?.stop();
      outliers.stop();
      for (const timer of slowStarting.values()) clearTimeout(timer);
    },
    record(endpoint, failure, latencyMs) {
      if (latencyMs !== undefined) recordLatency(endpoint, latencyMs);
      if (failure === undefined) endpoint.successes++;
      else if (failure !== 'aborted') {
        endpoint.failures++;
        endpoint.lastFailure = failure;
      }
      outliers.record(endpoint, failure);
    },
    planFor(subset) {
      if (subset === undefined) return defaultPlan;
      const cached = plans.get(subset);
      if (cached?.version === version) return cached.plan;
      const plan = planTraffic(endpoints.filter((e) => e.subsets.includes(subset)), planOptions);
      plans.set(subset, { version, plan });
      return plan;
    },
    refreshWeights,
    summary() {
      refreshWeights();
      return {
        panic: defaultPlan.panic,
        regionShares: regionShares(defaultPlan),
        endpoints: endpoints.map((e) => snapshotEndpoint(e, checker !== undefined && settings.healthCheck?.enabled === true)),
      };
    },
  };
}
