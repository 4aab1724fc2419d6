/**
 * Headers a gateway capability adds to every upstream call of a request (identity, trace context).
 * Receives the GraphQL context of the client request. Must be per-request: nothing here is cached.
 */
export type UpstreamHeadersHook = (context: unknown) => Record<string, string> | undefined;

/** One hook from several: later hooks win on the same header name. */
export function composeUpstreamHeaders(hooks: ReadonlyArray<UpstreamHeadersHook | undefined>): UpstreamHeadersHook | undefined {
  const active = hooks.filter((h): h is UpstreamHeadersHook => h !== undefined);
  if (active.length === 0) return undefined;
  if (active.length === 1) return active[0];
  return (context) => Object.assign({}, ...active.map((hook) => hook(context)));
}
