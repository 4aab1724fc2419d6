import type { OutlierDetectionSettings } from '../registry/index.js';
import type { EndpointRuntime } from './endpoint.js';
import type { UpstreamFailureKind } from './upstream-types.js';

export interface OutlierDetectorOptions {
  settings: OutlierDetectionSettings;
  endpoints: readonly EndpointRuntime[];
  now: () => number;
  /** The endpoint was ejected for `ms` (its `ejectedUntil` is set). */
  onEject(endpoint: EndpointRuntime, ms: number, reason: string): void;
  /** The ejection ended (its `ejectedUntil` is 0 again). */
  onReturn(endpoint: EndpointRuntime): void;
  /** Ejection refused because too many endpoints are already out (once per failure streak). */
  onEjectionRefused(endpoint: EndpointRuntime, reason: string): void;
}

export interface OutlierDetector {
  /** Feeds the outcome of one call to an endpoint: `undefined` for success. */
  record(endpoint: EndpointRuntime, failure: UpstreamFailureKind | undefined): void;
  /** Ends an ejection early (recovery seen by active health checks); false if it was not ejected. */
  cancelEjection(endpoint: EndpointRuntime): boolean;
  /** Cancels pending returns (the fetcher is going away). */
  stop(): void;
}

/**
 * Passive health: ejects an endpoint after `consecutiveFailures` failed calls in real traffic, for
 * baseEjectionMs × n where n grows with each ejection in a row (capped at maxEjectionMs) and shrinks
 * by one for every baseEjectionMs the endpoint then behaves, as Envoy's outlier detection does.
 * At most `maxEjectionPercent` of the endpoints are out at once; one always may be.
 */
export function createOutlierDetector(options: OutlierDetectorOptions): OutlierDetector {
  const { settings, endpoints, now } = options;
  const timers = new Map<EndpointRuntime, NodeJS.Timeout>();
  const maxEjected = Math.max(1, Math.floor((endpoints.length * settings.maxEjectionPercent) / 100));

  function eject(endpoint: EndpointRuntime, reason: string) {
    const at = now();
    const behavedFor = endpoint.returnedAt ? at - endpoint.returnedAt : 0;
    const decay = Math.floor(behavedFor / settings.baseEjectionMs);
    endpoint.ejectionLevel = Math.max(0, endpoint.ejectionLevel - decay) + 1;
    const ms = Math.min(settings.baseEjectionMs * endpoint.ejectionLevel, settings.maxEjectionMs);
    endpoint.ejectedUntil = at + ms;
    endpoint.ejections++;
    endpoint.consecutiveFailures = 0;
    timers.set(endpoint, setTimeout(() => release(endpoint), ms).unref());
    options.onEject(endpoint, ms, reason);
  }

  function end(endpoint: EndpointRuntime) {
    clearTimeout(timers.get(endpoint));
    timers.delete(endpoint);
    endpoint.ejectedUntil = 0;
    endpoint.returnedAt = now();
  }

  function release(endpoint: EndpointRuntime) {
    end(endpoint);
    options.onReturn(endpoint);
  }

  return {
    record(endpoint, failure) {
      if (failure === undefined) {
        endpoint.consecutiveFailures = 0;
        return;
      }
      if (failure === 'aborted') return;
      endpoint.consecutiveFailures++;
      if (!settings.enabled || endpoint.ejectedUntil !== 0 || endpoint.consecutiveFailures < settings.consecutiveFailures) return;
      const reason = `${endpoint.consecutiveFailures} consecutive failures (last: ${failure})`;
      const ejected = endpoints.reduce((n, e) => n + (e.ejectedUntil !== 0 ? 1 : 0), 0);
      if (ejected >= maxEjected) {
        // Said once per streak; the endpoint is ejected as soon as there is room again.
        if (endpoint.consecutiveFailures === settings.consecutiveFailures) options.onEjectionRefused(endpoint, `${reason}; not ejected: ${ejected} of ${endpoints.length} endpoints already are (maxEjectionPercent ${settings.maxEjectionPercent})`);
        return;
      }
      eject(endpoint, reason);
    },
    cancelEjection(endpoint) {
      if (endpoint.ejectedUntil === 0) return false;
      end(endpoint);
      return true;
    },
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
