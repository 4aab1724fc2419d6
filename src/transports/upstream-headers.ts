/**
 * Headers a gateway capability adds to every upstream call of a request (identity, trace context).
 * Receives the GraphQL context of the client request, and must depend on nothing else: the composed
 * hook asks once per context and reuses the answer for every upstream call of that request.
 */
export type UpstreamHeadersHook = (context: unknown) => Record<string, string> | undefined;

const NONE = Symbol('no added headers');

/**
 * One hook from several (later hooks win on the same header name), answering once per client
 * request: a request makes many upstream calls, and each would otherwise build the same headers.
 * The answer is frozen, as callers share it.
 */
export function composeUpstreamHeaders(hooks: ReadonlyArray<UpstreamHeadersHook | undefined>): UpstreamHeadersHook | undefined {
  const active = hooks.filter((h): h is UpstreamHeadersHook => h !== undefined);
  if (active.length === 0) return undefined;
  // One lookup per call: NONE records a request whose hooks added nothing.
  const perRequest = new WeakMap<object, Record<string, string> | typeof NONE>();
  const compute = (context: unknown) => {
    let headers: Record<string, string> | undefined;
    for (const hook of active) {
      const more = hook(context);
      if (more) headers = Object.assign(headers ?? {}, more);
    }
    return headers && Object.freeze(headers);
  };
  return (context) => {
    if (typeof context !== 'object' || context === null) return compute(context);
    const known = perRequest.get(context);
    if (known !== undefined) return known === NONE ? undefined : known;
    const headers = compute(context);
    perRequest.set(context, headers ?? NONE);
    return headers;
  };
}
