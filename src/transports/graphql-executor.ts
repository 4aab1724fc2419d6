import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { print, type DocumentNode } from 'graphql';
import type { BalancedFetcher, UpstreamRequest, UpstreamResponse } from '../balancing/index.js';
import { badUpstreamResponse, upstreamFailure } from './upstream-errors.js';
import type { UpstreamHeaders, UpstreamHeadersSource } from './upstream-headers.js';

export interface GraphQLExecutorOptions {
  service: string;
  fetcher: BalancedFetcher;
  headers?: UpstreamHeadersSource;
  /**
   * Share one upstream call between identical queries in flight at the same time: same document,
   * variables and every header (so never across users whose identity headers differ). Each caller
   * parses its own copy of the answer. Mutations are never shared. @default false
   */
  dedupeInflight?: boolean;
}

/** Sends a query text to a service; failures come back as `{ errors }` naming the service, never thrown. */
export type GraphQLRequester = (
  query: string,
  variables: Record<string, unknown> | undefined,
  context: unknown,
  options?: { operationName?: string; mutation?: boolean; signal?: AbortSignal },
) => Promise<ExecutionResult>;

/**
 * POSTs GraphQL to a service over its balanced fetcher. Written here instead of using executor-http so
 * that (a) identical requests of different users are never merged into one (executor-http's in-flight
 * de-duplication ignores per-user headers), and (b) failures come back as field errors naming the
 * service, never its URL.
 */
export function createGraphQLRequester({ service, fetcher, headers, dedupeInflight = false }: GraphQLExecutorOptions): GraphQLRequester {
  const inflight = new Map<string, Promise<UpstreamResponse>>();
  /** The upstream call for `upstream`, shared with an identical query already in flight. */
  function shared(upstream: UpstreamRequest, added: UpstreamHeaders | undefined): Promise<UpstreamResponse> {
    // A canary client and a default one never share a call: the routing decision is part of the key.
    // The fixed headers are the same for every call, and trace context says nothing about who asks:
    // only the identifying headers can tell two callers apart.
    const key = `${fetcher.routeOf(upstream.context)}\n${upstream.body}\n${added ? added.identity : ''}`;
    const call = inflight.get(key);
    if (call) {
      // This client's usage and access log still record the call; metrics see one upstream request.
      const joined = performance.now();
      return call.then((response) => {
        fetcher.reportShared(upstream.context, upstream.method, response, joined);
        return response;
      });
    }
    // Not tied to one client's signal: another client may still be waiting for it (the fetcher's timeout still applies).
    const started = fetcher.request({ ...upstream, signal: undefined }).finally(() => inflight.delete(key));
    inflight.set(key, started);
    return started;
  }
  return async (query, variables, context, options = {}) => {
    const added = headers?.(context);
    const upstream: UpstreamRequest = {
      method: 'POST',
      path: '',
      headers: added ? added.over(FIXED_HEADERS) : FIXED_HEADERS,
      body: JSON.stringify({ query, variables, operationName: options.operationName }),
      idempotent: !options.mutation,
      signal: options.signal,
      context,
    };
    let response;
    try {
      response = await (dedupeInflight && !options.mutation ? shared(upstream, added) : fetcher.request(upstream));
    } catch (error) {
      return { errors: [upstreamFailure(service, error)] };
    }
    let result: unknown;
    try {
      result = JSON.parse(response.body);
    } catch {
      return { errors: [badUpstreamResponse(service, response.status)] };
    }
    if (!isExecutionResult(result)) return { errors: [badUpstreamResponse(service, response.status)] };
    return result;
  };
}

const FIXED_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json',
});

const printed = new WeakMap<DocumentNode, string>();

/** A graphql-tools Executor (for stitching) over the requester. */
export function createGraphQLExecutor(options: GraphQLExecutorOptions): Executor {
  const send = createGraphQLRequester(options);
  return (request: ExecutionRequest) => {
    let query = printed.get(request.document);
    if (query === undefined) {
      query = print(request.document);
      printed.set(request.document, query);
    }
    return send(query, request.variables, request.context, {
      operationName: request.operationName,
      mutation: request.operationType === 'mutation',
      signal: request.signal,
    });
  };
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  if (typeof value !== 'object' || value === null) return false;
  const { data, errors } = value as ExecutionResult;
  const dataOk = data === undefined || data === null || (typeof data === 'object' && !Array.isArray(data));
  const errorsOk = errors === undefined || Array.isArray(errors);
  return dataOk && errorsOk && (data != null || errors !== undefined);
}
