export { createGraphQLExecutor, createGraphQLRequester, type GraphQLExecutorOptions, type GraphQLRequester } from './graphql-executor.js';
export { createRestClient, type RestCall, type RestClient, type RestClientOptions } from './rest-client.js';
export { composeUpstreamHeaders, type UpstreamHeadersHook } from './upstream-headers.js';
export { badUpstreamResponse, upstreamFailure } from './upstream-errors.js';
