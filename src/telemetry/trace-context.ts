import { randomBytes } from 'node:crypto';

/** W3C trace context of one request, as the gateway continues it. */
export interface TraceContext {
  /** 32 lower-case hex digits. */
  readonly traceId: string;
  /** The gateway's own span for this request (16 hex digits); upstream calls carry it as their parent. */
  readonly spanId: string;
  /** The caller's span, when a valid traceparent came in. */
  readonly parentSpanId?: string;
  /** Trace flags, e.g. "01" when sampled. */
  readonly flags: string;
  /** Vendor state, forwarded unchanged when it is well-formed. */
  readonly traceState?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
// version-traceid-parentid-flags; future versions may append fields after a dash (W3C §3.2.4).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
// W3C tracestate: at most 32 list members, printable ASCII without spaces at the ends.
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;

/** A client's x-request-id when it is short and plain; a fresh UUID otherwise (never echo junk). */
export function acceptRequestId(value: string | null): { id: string; rejected: boolean } {
  if (value !== null && REQUEST_ID.test(value)) return { id: value, rejected: false };
  return { id: randomUuid(), rejected: value !== null };
}

/**
 * Continues the caller's trace when its traceparent is valid; starts a new one otherwise. A malformed
 * header is dropped whole (never forwarded or logged), as W3C §4.3 asks.
 */
export function continueTrace(traceparent: string | null, tracestate: string | null, sampled: (traceId: string) => boolean): {
  trace: TraceContext;
  rejected: boolean;
} {
  const parsed = traceparent === null || traceparent.length > 512 ? null : TRACEPARENT.exec(traceparent.trim());
  const valid = parsed !== null && parsed[1] !== 'ff' && parsed[2] !== ZERO_TRACE && parsed[3] !== ZERO_SPAN && (parsed[1] !== '00' || parsed[5] === undefined);
  if (valid) {
    const state = tracestate !== null && TRACESTATE.test(tracestate) ? tracestate.trim() : undefined;
    return { trace: { traceId: parsed[2]!, spanId: randomHex(8), parentSpanId: parsed[3]!, flags: parsed[4]!, traceState: state }, rejected: false };
  }
  const traceId = randomHex(16);
  return { trace: { traceId, spanId: randomHex(8), flags: sampled(traceId) ? '01' : '00' }, rejected: traceparent !== null };
}

export function formatTraceparent(trace: TraceContext, spanId = trace.spanId): string {
  return `00-${trace.traceId}-${spanId}-${trace.flags}`;
}

export function isSampled(trace: TraceContext): boolean {
  return (parseInt(trace.flags, 16) & 1) === 1;
}

// Ids are slices of one hex string of pooled random bytes: one crypto call and one hex conversion
// per 4 KiB of randomness, instead of one of each per id (an id is two or three per request).
const POOL_BYTES = 4096;
let pool = '';
let offset = 0;

/** `bytes` random bytes as lower-case hex; never all zeros (invalid in W3C ids). */
export function randomHex(bytes: number): string {
  const chars = bytes * 2;
  if (offset + chars > pool.length) {
    pool = randomBytes(POOL_BYTES).toString('hex');
    offset = 0;
  }
  const hex = pool.slice(offset, offset + chars);
  offset += chars;
  return allZeros(hex) ? randomHex(bytes) : hex;
}

const VARIANT = '89ab';

/** A random (version 4) UUID, from the same pool. */
function randomUuid(): string {
  const h = randomHex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${VARIANT[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20)}`;
}

function allZeros(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 0x30) return false;
  return true;
}
