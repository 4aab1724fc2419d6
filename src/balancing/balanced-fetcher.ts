import { Pool } from 'undici';
import type { Endpoint } from '../registry/index.js';
import { pickSmoothWeighted } from './smooth-weighted.js';
import {
  UpstreamError, type UpstreamFailureKind, type UpstreamObserver, type UpstreamRequest, type UpstreamResponse,
} from './upstream-types.js';

export interface BalancedFetcherOptions {
  service: string;
  endpoints: readonly Endpoint[];
  /** Time allowed for one attempt, connection to last byte. */
  timeoutMs: number;
  /** Keep-alive connections per replica. @default 64 */
  connectionsPerEndpoint?: number;
  /** Told about every attempt (telemetry). */
  observer?: UpstreamObserver;
}

export interface BalancedFetcher extends AsyncDisposable {
  readonly service: string;
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

interface Replica {
  id: string;
  basePath: string;
  pool: Pool;
  weight: number;
  current: number;
}

/**
 * Spreads one service's upstream calls over its replicas (smooth weighted round robin) through a
 * keep-alive connection pool per replica. A call that could not even connect is moved to the next
 * replica, whatever its method, because it provably never reached the service.
 */
export function createBalancedFetcher(options: BalancedFetcherOptions): BalancedFetcher {
  const { service, timeoutMs } = options;
  const replicas: Replica[] = options.endpoints.map((endpoint) => {
    const url = new URL(endpoint.url);
    return {
      id: endpoint.url,
      basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''),
      pool: new Pool(url.origin, { connections: options.connectionsPerEndpoint ?? 64, keepAliveTimeout: 10_000 }),
      weight: endpoint.weight,
      current: 0,
    };
  });

  async function attempt(replica: Replica, request: UpstreamRequest, attemptNo: number): Promise<UpstreamResponse> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    const started = performance.now();
    const observe = (status: number | undefined, failure: UpstreamFailureKind | undefined) =>
      options.observer?.(
        { service, endpoint: replica.id, method: request.method, status, failure, durationMs: performance.now() - started, attempt: attemptNo },
        request.context,
      );
    try {
      const response = await replica.pool.request({
        method: request.method as 'GET',
        path: replica.basePath + request.path || '/',
        headers: request.headers,
        body: request.body,
        signal,
      });
      const body = await response.body.text();
      observe(response.statusCode, undefined);
      return { status: response.statusCode, headers: response.headers, body, endpoint: replica.id, attempt: attemptNo };
    } catch (error) {
      const kind: UpstreamFailureKind = request.signal?.aborted ? 'aborted' : deadline.aborted ? 'timeout' : classify(error);
      observe(undefined, kind);
      throw new UpstreamError(service, kind, `${replica.id}: ${(error as Error).message}`);
    }
  }

  async function request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const tried = new Set<Replica>();
    for (let attemptNo = 1; ; attemptNo++) {
      const candidates = replicas.filter((r) => !tried.has(r));
      const replica = pickSmoothWeighted(candidates.length ? candidates : replicas)!;
      tried.add(replica);
      try {
        return await attempt(replica, request, attemptNo);
      } catch (error) {
        const retryable = error instanceof UpstreamError && error.kind === 'connect' && tried.size < replicas.length;
        if (!retryable) throw error;
      }
    }
  }

  const close = async () => {
    await Promise.all(replicas.map((r) => r.pool.close().catch(() => r.pool.destroy())));
  };
  return { service, request, close, [Symbol.asyncDispose]: close };
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function classify(error: unknown): UpstreamFailureKind {
  const code = (error as { code?: string }).code ?? '';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  return 'reset';
}
