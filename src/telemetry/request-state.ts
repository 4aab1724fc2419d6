import type { UpstreamCallRecord } from '../balancing/index.js';
import { ObjectSlot } from '../shared/object-slot.js';
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

/** Telemetry's state of each request in flight, on the Request itself (see ObjectSlot), under a symbol of each telemetry instance. */
export const requestStates = () => new ObjectSlot<RequestState>(Symbol('junction.telemetry.request'));

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
