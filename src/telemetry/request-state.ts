import type { UpstreamCallRecord } from '../balancing/index.js';
import type { Viewer } from '../shared/viewer.js';
import type { FieldCollector } from './field-collector.js';
import type { RequestSpan } from './tracer.js';

/** One GraphQL operation of a request, as the access log shows it. */
export interface OperationRecord {
  /** The params object yoga built the operation from (batched requests have several). */
  readonly params: object;
  name?: string;
  type?: string;
  /** The document text, when the client sent one. */
  query?: string;
  /** sha256 of the document text, hex: the same id persisted-query clients use. */
  hash?: string;
  client?: string;
  /** performance.now() when execution started. */
  startedAt?: number;
  durationMs?: number;
  errors?: string[];
  variables?: unknown;
  collector?: FieldCollector;
}

/** Everything telemetry knows about one client request, kept in a WeakMap keyed by its Request. */
export interface RequestState {
  readonly id: string;
  readonly span: RequestSpan;
  /** performance.now() at arrival. */
  readonly started: number;
  readonly method: string;
  readonly path: string;
  /** Produce an access log line (false for probes and scrapes). */
  readonly logged: boolean;
  readonly rejectedHeaders: readonly string[];
  operations: OperationRecord[];
  /** The balancer's record of each upstream attempt (see upstreamObserver). */
  upstream: UpstreamCallRecord[];
  upstreamOmitted: number;
  errorCodes: string[];
  viewer?: Viewer;
}

/**
 * Telemetry's state of each request in flight, kept on the Request object itself under a symbol of
 * this instance. Not a WeakMap: every request would add an entry with a young key to an old table,
 * which takes V8's ephemeron write barrier on the slow path and makes every young-generation
 * collection process the table (both showed up in perf profiles of the gateway). A Request that cannot
 * take a property (frozen) falls back to a WeakMap.
 */
export class RequestStates {
  private readonly slot = Symbol('junction.telemetry.request');
  private readonly fallback = new WeakMap<Request, RequestState>();

  get(request: Request): RequestState | undefined {
    return (request as unknown as Record<symbol, RequestState | undefined>)[this.slot] ?? this.fallback.get(request);
  }

  set(request: Request, state: RequestState): void {
    try {
      (request as unknown as Record<symbol, RequestState | undefined>)[this.slot] = state;
    } catch {
      this.fallback.set(request, state);
    }
  }

  /** Forgets a request's state (the slot is cleared, not deleted: a delete would turn the object's properties into a dictionary). */
  delete(request: Request): void {
    const slots = request as unknown as Record<symbol, RequestState | undefined>;
    if (slots[this.slot] !== undefined) slots[this.slot] = undefined;
    else this.fallback.delete(request);
  }
}

/** Most upstream attempts listed in one access log line; more are counted in `upstreamOmitted`. */
export const MAX_UPSTREAM_ENTRIES = 100;

/**
 * The metering key of a caller: the OAuth client when the token names one, else the end user, else
 * "anonymous". Client credentials tokens have no subject, user tokens usually carry both.
 */
export function clientKeyOf(viewer: Viewer | undefined): string {
  return viewer?.clientId ?? viewer?.subject ?? 'anonymous';
}

export const round = (ms: number) => Math.round(ms * 1000) / 1000;
