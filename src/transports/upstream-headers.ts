/**
 * Headers a gateway capability adds to every upstream call of a request (identity, trace context).
 * Receives the GraphQL context of the client request. Must be per-request: nothing here is cached.
 */
export type UpstreamHeadersHook = (context: unknown) => Record<string, string> | undefined;
