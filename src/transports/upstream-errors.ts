import { createGraphQLError } from '@graphql-tools/utils';
import type { GraphQLError } from 'graphql';
import { UpstreamError } from '../balancing/index.js';
import { RequestErrorCode } from '../shared/errors.js';

/**
 * Turns any failure of an upstream call into a GraphQL error that names the service and nothing else:
 * URLs, socket errors and response bodies stay in the logs.
 */
export function upstreamFailure(service: string, error: unknown): GraphQLError {
  if (error instanceof UpstreamError) {
    const code = error.kind === 'timeout' ? RequestErrorCode.UPSTREAM_TIMEOUT : RequestErrorCode.UPSTREAM_UNAVAILABLE;
    return createGraphQLError(error.message, { extensions: { code, service } });
  }
  return createGraphQLError(`Service "${service}" failed`, { extensions: { code: RequestErrorCode.UPSTREAM_ERROR, service } });
}

export function badUpstreamResponse(service: string, status: number): GraphQLError {
  return createGraphQLError(`Service "${service}" answered with an invalid response (HTTP ${status})`, {
    extensions: { code: RequestErrorCode.UPSTREAM_ERROR, service, status },
  });
}
