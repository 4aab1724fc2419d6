/** One HTTP call to a service, independent of which replica serves it. */
export interface UpstreamRequest {
  method: string;
  /** Path (and query) appended to the endpoint URL's own path; '' for GraphQL endpoints. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** True when the call may be repeated on another replica without side effects (queries, GET). */
  idempotent: boolean;
  /** Aborts the call (client gone, total deadline). */
  signal?: AbortSignal;
  /** GraphQL context of the client request (routing rules, telemetry); never sent anywhere. */
  context?: unknown;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Which replica answered, as an opaque id (never shown to clients: it contains the URL). */
  endpoint: string;
  /** 1 for the first try. */
  attempt: number;
}

export type UpstreamFailureKind =
  /** The connection could not be opened: the request provably never reached the service. */
  | 'connect'
  /** No (complete) answer within the time allowed. */
  | 'timeout'
  /** The connection broke after the request may have been sent. */
  | 'reset'
  /** The caller gave up. */
  | 'aborted'
  /**
   * An answer arrived but is unusable: a 5xx, or not the JSON that was asked for. Never thrown (the
   * answer is returned once retries are spent); reported to observers and counted against the endpoint.
   */
  | 'bad-response';

/** A failed upstream call. The message names the service only, so it is safe to show to clients. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly service: string,
    readonly kind: UpstreamFailureKind,
    /** Internal detail for logs (may contain the URL); never sent to clients. */
    readonly detail: string,
  ) {
    super(kind === 'timeout' ? `Service "${service}" did not answer in time` : `Service "${service}" is unavailable`);
  }
}

/** One attempt of an upstream call, as reported to observers (access log, metrics). */
export interface UpstreamCallRecord {
  service: string;
  /** Replica id (its URL): for logs and metrics only, never for clients. */
  endpoint: string;
  method: string;
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** Why the attempt failed, when it did. */
  failure?: UpstreamFailureKind;
  /** performance.now() when the attempt was sent; for a shared call, when this client request joined it. */
  startedAt: number;
  durationMs: number;
  /** 1 for the first try. */
  attempt: number;
  /** Data center of the replica. */
  region?: string;
  /** True when the call was served in panic mode (no endpoint was available). */
  panic?: boolean;
  /**
   * True when this client request joined an identical call another request had in flight: the
   * service saw one request, so metrics must not count it twice; usage and logs do record it.
   */
  shared?: boolean;
}

/** Called after every attempt, with the client request's context. Must not throw or block. */
export type UpstreamObserver = (record: UpstreamCallRecord, context: unknown) => void;
