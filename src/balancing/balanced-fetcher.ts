import { balancingManifestSchema, type BalancingManifest } from '../registry/index.js';
import { createEndpointRuntime, type EndpointRuntime } from './endpoint.js';
import { createEndpointHealth, type BalancingLogger } from './endpoint-health.js';
import { pickerFor } from './pickers.js';
import { createRetryBudget } from './retry-budget.js';
import { createRuleMatcher } from './routing-rules.js';
import { sendAttempt, type AttemptOutcome } from './send-attempt.js';
import { pickLevel, type TrafficPlan } from './traffic-plan.js';
import type { ServiceSnapshot, UpstreamEventListener } from './upstream-events.js';
import { UpstreamError, type UpstreamObserver, type UpstreamRequest, type UpstreamResponse } from './upstream-types.js';

export interface BalancedEndpoint {
  url: string;
  /** @default 1 */
  weight?: number;
  /** @default "default" */
  region?: string;
  /** @default [] */
  subsets?: readonly string[];
}

export interface Locality {
  /** The gateway's own region. */
  region: string;
  failoverOrder: readonly string[];
  overprovisioningFactor: number;
}

export interface BalancedFetcherOptions {
  service: string;
  endpoints: readonly BalancedEndpoint[];
  /** Time allowed for one attempt, connection to last byte. */
  timeoutMs: number;
  /** Time allowed for all attempts of one call together. @default 2 × timeoutMs */
  totalTimeoutMs?: number;
  /** The service.yaml `balancing:` block. @default the schema's defaults */
  balancing?: BalancingManifest;
  /** @default { region: "default", failoverOrder: [], overprovisioningFactor: 1.4 } */
  locality?: Locality;
  /** Keep-alive connections per endpoint. @default 64 */
  connectionsPerEndpoint?: number;
  /** False: never probe (e.g. `junction check`, which must not touch the network). @default true */
  healthChecks?: boolean;
  /** Told about every attempt (telemetry). */
  observer?: UpstreamObserver;
  /** Told about every state change (telemetry). */
  onEvent?: UpstreamEventListener;
  /** State changes are logged here. */
  logger?: BalancingLogger;
  random?: () => number;
  now?: () => number;
}

export interface BalancedFetcher extends AsyncDisposable {
  readonly service: string;
  /** Sends the call to a healthy endpoint, retrying on another one where that is safe. */
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
  /** Every endpoint's state and counters, for /admin/upstreams. */
  snapshot(): ServiceSnapshot;
  /**
   * Which endpoints a client request's calls go to: the routing rule's subset, '' for the default
   * endpoints. Calls shared between clients (in-flight de-duplication) must agree on it.
   */
  routeOf(context: unknown): string;
  /**
   * Tells observers that a client request was answered by another request's identical call, which it
   * joined at `joinedAt` (performance.now()).
   */
  reportShared(context: unknown, method: string, response: UpstreamResponse, joinedAt: number): void;
  /** Stops health checks and timers; calls still work (a fetcher retired by a reload drains). */
  stop(): void;
  close(): Promise<void>;
}

const DEFAULT_LOCALITY: Locality = { region: 'default', failoverOrder: [], overprovisioningFactor: 1.4 };

/**
 * One service's upstream calls: routing rule -> traffic plan (region, panic) -> algorithm ->
 * endpoint, over a keep-alive pool per endpoint; failures feed outlier detection, and a failed call
 * is retried on another endpoint when that is safe (queries; mutations only when the connection was
 * refused) and the retry budget allows it.
 */
export function createBalancedFetcher(options: BalancedFetcherOptions): BalancedFetcher {
  const { service, timeoutMs, observer } = options;
  const settings = options.balancing ?? balancingManifestSchema.parse({});
  const totalTimeoutMs = options.totalTimeoutMs ?? 2 * timeoutMs;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const pick = pickerFor(settings.algorithm, random);
  const endpoints = options.endpoints.map((endpoint) =>
    createEndpointRuntime(
      { url: endpoint.url, weight: endpoint.weight ?? 1, region: endpoint.region ?? 'default', subsets: [...(endpoint.subsets ?? [])] },
      settings.algorithm === 'round-robin' ? 1 : (endpoint.weight ?? 1),
      { connections: options.connectionsPerEndpoint ?? 64, connectTimeoutMs: Math.min(timeoutMs, 3_000) },
    ),
  );
  const health = createEndpointHealth({
    service, endpoints, settings, locality: options.locality ?? DEFAULT_LOCALITY,
    defaultMembers: defaultMembers(endpoints, settings), logger: options.logger, onEvent: options.onEvent, now,
  });
  const budget = createRetryBudget({ percent: settings.retries.budgetPercent, minPerSecond: settings.retries.minRetriesPerSecond, now });
  const matchRule = createRuleMatcher(settings.routing, { random });
  if (options.healthChecks !== false) health.start();

  function pickFirst(plan: TrafficPlan<EndpointRuntime>): EndpointRuntime | undefined {
    if (plan.panic) return pick(plan.all);
    const level = pickLevel(plan, random);
    return pick(level ? level.endpoints : plan.all);
  }

  /** Another endpoint than those tried: the most preferred region that still has one. */
  function pickRetry(plan: TrafficPlan<EndpointRuntime>, tried: readonly EndpointRuntime[]): EndpointRuntime | undefined {
    for (const level of plan.levels) {
      const untried = level.endpoints.filter((e) => !tried.includes(e));
      if (untried.length > 0) return pick(untried);
    }
    return plan.panic ? pick(plan.all.filter((e) => !tried.includes(e))) : undefined;
  }

  async function attemptOn(endpoint: EndpointRuntime, request: UpstreamRequest, ms: number, attempt: number, wantsJson: boolean, panic: boolean) {
    endpoint.inFlight++;
    const started = performance.now();
    let outcome: AttemptOutcome;
    try {
      outcome = await sendAttempt(service, endpoint, request, ms, attempt, wantsJson);
    } finally {
      endpoint.inFlight--;
    }
    const durationMs = performance.now() - started;
    const failure = outcome.ok ? undefined : outcome.failure;
    health.record(endpoint, failure, 'response' in outcome || failure === 'timeout' ? durationMs : undefined);
    if (observer) {
      const status = 'response' in outcome ? outcome.response.status : undefined;
      try {
        observer({ service, endpoint: endpoint.url, method: request.method, status, failure, startedAt: started, durationMs, attempt, region: endpoint.region, panic }, request.context);
      } catch {
        // An observer must never fail a call.
      }
    }
    return outcome;
  }

  async function request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const deadline = now() + totalTimeoutMs;
    budget.recordRequest();
    const rule = matchRule(request.context);
    let plan = health.planFor(rule?.subset);
    if (rule && rule.fallback && plan.available === 0) plan = health.planFor(undefined);
    health.refreshWeights();
    const wantsJson = (request.headers['accept'] ?? request.headers['Accept'] ?? '').includes('json');
    const tried: EndpointRuntime[] = [];
    let last: AttemptOutcome | undefined;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - now();
      const endpoint = attempt === 1 ? pickFirst(plan) : pickRetry(plan, tried);
      if (!endpoint || remaining <= 0) break;
      if (attempt > 1 && !budget.tryRetry()) {
        options.logger?.debug({ upstream: service, attempt }, 'retry refused: retry budget spent');
        break;
      }
      tried.push(endpoint);
      const outcome = await attemptOn(endpoint, request, Math.min(timeoutMs, remaining), attempt, wantsJson, plan.panic);
      if (outcome.ok) return outcome.response;
      last = outcome;
      const retryable = outcome.failure === 'connect' || (outcome.failure !== 'aborted' && request.idempotent);
      if (!retryable || attempt > settings.retries.maxRetries) break;
    }
    if (!last) throw new UpstreamError(service, 'connect', 'no endpoint to try');
    if ('response' in last) return last.response;
    throw last.error;
  }

  const stop = () => health.stop();
  const close = async () => {
    stop();
    await Promise.all(endpoints.map((e) => e.pool.close().catch(() => e.pool.destroy())));
  };
  return {
    service,
    request,
    snapshot: () => ({ name: service, algorithm: settings.algorithm, ...health.summary(), retryBudget: budget.snapshot() }),
    routeOf: (context) => matchRule(context)?.subset ?? '',
    reportShared(context, method, response, joinedAt) {
      if (!observer) return;
      try {
        const durationMs = performance.now() - joinedAt;
        observer({ service, endpoint: response.endpoint, method, status: response.status, startedAt: joinedAt, durationMs, attempt: response.attempt, shared: true }, context);
      } catch {
        // An observer must never fail a call.
      }
    },
    stop,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Endpoints for requests that match no routing rule: the default subset; else, when there are
 * rules, the endpoints in no subset; else all.
 */
function defaultMembers(endpoints: readonly EndpointRuntime[], settings: BalancingManifest): EndpointRuntime[] {
  const { defaultSubset, rules } = settings.routing;
  if (defaultSubset !== undefined) return endpoints.filter((e) => e.subsets.includes(defaultSubset));
  if (rules.length > 0) {
    const plain = endpoints.filter((e) => e.subsets.length === 0);
    if (plain.length > 0) return plain;
  }
  return [...endpoints];
}
