export { createGraphQLExecutor, createGraphQLRequester, type GraphQLExecutorOptions, type GraphQLRequester } from './graphql-executor.js';
export { createRestClient, type RestCall, type RestClient, type RestClientOptions } from './rest-client.js';
export { composeUpstreamHeaders, UPSTREAM_HEADERS, type UpstreamHeaderHooks, type UpstreamHeaders, type UpstreamHeadersHook, type UpstreamHeadersSource } from './upstream-headers.js';
export { badUpstreamResponse, upstreamFailure } from './upstream-errors.js';
