import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { print, type DocumentNode } from 'graphql';
import type { BalancedFetcher } from '../balancing/index.js';
import { badUpstreamResponse, upstreamFailure } from './upstream-errors.js';
import type { UpstreamHeadersHook } from './upstream-headers.js';

export interface GraphQLExecutorOptions {
  service: string;
  fetcher: BalancedFetcher;
  headers?: UpstreamHeadersHook;
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
export function createGraphQLRequester({ service, fetcher, headers }: GraphQLExecutorOptions): GraphQLRequester {
  return async (query, variables, context, options = {}) => {
    const body = JSON.stringify({ query, variables, operationName: options.operationName });
    let response;
    try {
      response = await fetcher.request({
        method: 'POST',
        path: '',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...headers?.(context),
        },
        body,
        idempotent: !options.mutation,
        signal: options.signal,
        context,
      });
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
