import type { BalancedFetcher } from '../balancing/index.js';
import { badUpstreamResponse, upstreamFailure } from './upstream-errors.js';
import type { UpstreamHeadersSource } from './upstream-headers.js';
import { createGraphQLError } from '@graphql-tools/utils';
import { RequestErrorCode } from '../shared/errors.js';

export interface RestCall {
  method: string;
  /** Path with query string, relative to the endpoint URL. */
  path: string;
  body?: unknown;
  /** GraphQL context of the client request, for per-request headers. */
  context: unknown;
  signal?: AbortSignal;
}

export interface RestClient {
  readonly service: string;
  /** Parsed JSON of a 2xx answer; `undefined` for 404 (the resource does not exist). Throws GraphQL errors. */
  call(call: RestCall): Promise<unknown>;
}

export interface RestClientOptions {
  service: string;
  fetcher: BalancedFetcher;
  headers?: UpstreamHeadersSource;
}

export function createRestClient({ service, fetcher, headers }: RestClientOptions): RestClient {
  async function call({ method, path, body, context, signal }: RestCall): Promise<unknown> {
    let response;
    try {
      response = await fetcher.request({
        method,
        path,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers?.(context)?.added,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        idempotent: method === 'GET',
        signal,
        context,
      });
    } catch (error) {
      throw upstreamFailure(service, error);
    }
    if (response.status === 404) return undefined;
    if (response.status >= 400 && response.status < 500) {
      // A 4xx is the service rejecting this input: say so, without echoing its body.
      throw createGraphQLError(`Service "${service}" rejected the request (HTTP ${response.status})`, {
        extensions: { code: RequestErrorCode.UPSTREAM_ERROR, service, status: response.status },
      });
    }
    if (response.status < 200 || response.status >= 300) throw badUpstreamResponse(service, response.status);
    if (response.body === '') return null;
    try {
      return JSON.parse(response.body);
    } catch {
      throw badUpstreamResponse(service, response.status);
    }
  }
  return { service, call };
}
