import { ObjectSlot } from '../shared/object-slot.js';

/**
 * Headers a gateway capability adds to every upstream call of a request (identity, trace context).
 * Receives the GraphQL context of the client request, and must depend on nothing else: the composed
 * source asks once per context and reuses the answer for every upstream call of that request.
 */
export type UpstreamHeadersHook = (context: unknown) => Record<string, string> | undefined;

/** What every upstream call of one client request carries besides a transport's own headers. */
export interface UpstreamHeaders {
  /** Every added header. Shared by all calls of the request: never mutated. */
  readonly added: Readonly<Record<string, string>>;
  /**
   * The headers that say who asks, as one string ('' when none). Two calls may share one upstream
   * answer (in-flight sharing) only when it is equal; trace context is not part of it.
   */
  readonly identity: string;
  /** A transport's `base` headers followed by the added ones; the same object for the same base. */
  over(base: Readonly<Record<string, string>>): Readonly<Record<string, string>>;
}

/** The upstream headers of the client request behind a context; undefined when nothing is added. */
export type UpstreamHeadersSource = (context: unknown) => UpstreamHeaders | undefined;

export interface UpstreamHeaderHooks {
  /** Hooks whose headers identify the caller (forwarded identity): they keep two users' calls apart. */
  identifying?: ReadonlyArray<UpstreamHeadersHook | undefined>;
  /** Hooks whose headers say nothing about who asks (trace context): they differ on every request. */
  tracing?: ReadonlyArray<UpstreamHeadersHook | undefined>;
}

class RequestHeaders implements UpstreamHeaders {
  private base: object | undefined;
  private merged: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly added: Readonly<Record<string, string>>,
    readonly identity: string,
  ) {}

  over(base: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    // One slot: a transport passes its one constant base object for every call.
    if (this.base !== base || !this.merged) {
      this.base = base;
      this.merged = { ...base, ...this.added };
    }
    return this.merged;
  }
}

/**
 * One source from several hooks (later hooks win on the same header name), working a request's
 * headers out once: a request makes many upstream calls, and each would otherwise merge the same
 * headers and key them again. Nothing is frozen (freezing costs a map transition per request); the
 * answer is read-only by type.
 */
export function composeUpstreamHeaders({ identifying = [], tracing = [] }: UpstreamHeaderHooks): UpstreamHeadersSource | undefined {
  const identityHooks = identifying.filter((h): h is UpstreamHeadersHook => h !== undefined);
  const traceHooks = tracing.filter((h): h is UpstreamHeadersHook => h !== undefined);
  if (identityHooks.length + traceHooks.length === 0) return undefined;
  // Per request, on its context object (see UPSTREAM_HEADERS).
  const perRequest = new ObjectSlot<RequestHeaders | typeof NONE>(UPSTREAM_HEADERS);
  const compute = (context: unknown): RequestHeaders | undefined => {
    let added: Record<string, string> | undefined;
    let identity = '';
    for (const hook of identityHooks) {
      const more = hook(context);
      if (!more) continue;
      added = Object.assign(added ?? {}, more);
      // Names included, in the hook's own order: equal strings mean equal identifying headers.
      for (const name in more) identity += `${name}:${more[name]}\n`;
    }
    for (const hook of traceHooks) {
      const more = hook(context);
      if (more) added = added ? Object.assign(added, more) : { ...more };
    }
    return added && new RequestHeaders(added, identity);
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

/**
 * The key of a request's context that holds its upstream headers once worked out (see ObjectSlot). The
 * gateway's context factory declares it (undefined) with the context's other fields, so that setting it
 * changes no object's shape mid-request.
 */
export const UPSTREAM_HEADERS = Symbol('junction.upstream-headers');

/** Records a request whose hooks added nothing: one lookup per call either way. */
const NONE = Symbol('no added headers');
