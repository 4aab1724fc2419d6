import type { HealthCheckSettings } from '../registry/index.js';
import type { EndpointRuntime } from './endpoint.js';

export interface HealthCheckerOptions {
  settings: HealthCheckSettings;
  endpoints: readonly EndpointRuntime[];
  now: () => number;
  /** The endpoint's `passing` flag flipped. */
  onChange(endpoint: EndpointRuntime, passing: boolean, reason: string): void;
}

export interface HealthChecker {
  start(): void;
  stop(): void;
}

const GRAPHQL_PROBE = JSON.stringify({ query: '{ __typename }' });

/**
 * Active health checks: each endpoint is probed every `intervalMs` (counted from the end of the
 * previous probe, so a slow endpoint is never probed twice at once) over its own connection pool.
 * `unhealthyThreshold` failures in a row take it out of the pool; `healthyThreshold` passes in a
 * row bring it back. With a `path` the probe is `GET path` on the endpoint's host; without, a
 * GraphQL `{ __typename }` POST to the endpoint URL, which must answer data.
 */
export function createHealthChecker({ settings, endpoints, now, onChange }: HealthCheckerOptions): HealthChecker {
  const timers = new Map<EndpointRuntime, NodeJS.Timeout>();
  let running = false;

  async function probe(endpoint: EndpointRuntime): Promise<string | undefined> {
    const signal = AbortSignal.timeout(settings.timeoutMs);
    const headers = { accept: 'application/json', 'user-agent': 'junction-health-check' };
    try {
      const response = await endpoint.pool.request(
        settings.path === undefined
          ? { method: 'POST', path: endpoint.basePath || '/', headers: { ...headers, 'content-type': 'application/json' }, body: GRAPHQL_PROBE, signal }
          : { method: 'GET', path: settings.path, headers, signal },
      );
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) return `HTTP ${response.statusCode}`;
      if (settings.path === undefined) {
        const data = (JSON.parse(text) as { data?: { __typename?: unknown } } | null)?.data;
        if (typeof data?.__typename !== 'string') return 'answer has no data.__typename';
      }
      return undefined;
    } catch (error) {
      if (signal.aborted) return `no answer within ${settings.timeoutMs} ms`;
      return error instanceof SyntaxError ? 'answer is not JSON' : ((error as { code?: string }).code ?? (error as Error).message);
    }
  }

  async function check(endpoint: EndpointRuntime) {
    const failure = await probe(endpoint);
    if (!running) return;
    endpoint.lastCheckedAt = now();
    if (failure === undefined) {
      endpoint.checkPasses++;
      endpoint.checkFailures = 0;
      if (!endpoint.passing && endpoint.checkPasses >= settings.healthyThreshold) {
        endpoint.passing = true;
        onChange(endpoint, true, `${endpoint.checkPasses} health checks passed`);
      }
    } else {
      endpoint.checkFailures++;
      endpoint.checkPasses = 0;
      if (endpoint.passing && endpoint.checkFailures >= settings.unhealthyThreshold) {
        endpoint.passing = false;
        onChange(endpoint, false, `${endpoint.checkFailures} health checks failed (last: ${failure})`);
      }
    }
    schedule(endpoint, settings.intervalMs);
  }

  function schedule(endpoint: EndpointRuntime, delayMs: number) {
    if (!running) return;
    timers.set(endpoint, setTimeout(() => void check(endpoint), delayMs).unref());
  }

  return {
    start() {
      if (running || !settings.enabled) return;
      running = true;
      // The first round right away, so a replica that is down at start-up is known within one timeout.
      for (const endpoint of endpoints) schedule(endpoint, 0);
    },
    stop() {
      running = false;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
