import type { UpstreamCallRecord } from '../balancing/index.js';
import { CLOSE_ARRAY, CLOSE_OBJECT, COMMA, fragment, OPEN_OBJECT, type JsonBytes } from './json-bytes.js';
import { clientKeyOf, type OperationRecord, type RequestState } from './request-state.js';

/**
 * Appends the members of a finished request's access line to `out`, each as `,"name":value`, in the
 * order and form JSON.stringify gives the same fields (undefined ones left out): request id, trace id,
 * method, path, status, duration, bytes, client, errors, then operations with their field summaries and
 * upstream calls. Written into the log's block directly (see JsonBytes): the repeated parts (six
 * upstream calls and a dozen field counters for the demo query) are fragments encoded once per
 * endpoint and per schema coordinate.
 */
export function writeAccessLine(out: JsonBytes, state: RequestState, status: number, durationMs: number, request: Request, response: Response): void {
  const { viewer } = state;
  out.raw(K.requestId);
  out.string(state.id);
  out.raw(K.traceId);
  out.string(state.span.trace.traceId);
  out.raw(K.method);
  out.string(state.method);
  out.raw(K.path);
  out.string(state.path);
  out.raw(K.status);
  out.number(status);
  out.raw(K.durationMs);
  out.ms(durationMs);
  byteCount(out, K.bytesIn, request.headers.get('content-length'));
  byteCount(out, K.bytesOut, response.headers.get('content-length'));
  out.raw(K.client);
  out.string(clientKeyOf(viewer));
  if (viewer?.subject !== undefined) {
    out.raw(K.subject);
    out.string(viewer.subject);
  }
  if (viewer?.clientId !== undefined) {
    out.raw(K.clientId);
    out.string(viewer.clientId);
  }
  if (state.errorCodes.length) {
    out.raw(K.errors);
    out.strings(state.errorCodes);
  }
  if (state.upstreamOmitted) {
    out.raw(K.upstreamOmitted);
    out.number(state.upstreamOmitted);
  }
  if (state.rejectedHeaders.length) {
    out.raw(K.rejectedHeaders);
    out.strings(state.rejectedHeaders);
  }
  if (state.operations.length) {
    out.raw(K.operations);
    for (let i = 0; i < state.operations.length; i++) {
      if (i > 0) out.byte(COMMA);
      writeOperation(out, state.operations[i]!);
    }
    out.byte(CLOSE_ARRAY);
  }
  if (state.upstream.length) {
    out.raw(K.upstream);
    for (let i = 0; i < state.upstream.length; i++) {
      if (i > 0) out.byte(COMMA);
      const call = state.upstream[i]!;
      out.raw(prefixOf(call));
      out.ms(call.startedAt - state.started);
      out.raw(K.ms);
      out.ms(call.durationMs);
      out.byte(CLOSE_OBJECT);
    }
    out.byte(CLOSE_ARRAY);
  }
}

// `,"name":` of each member, encoded once.
const member = (name: string) => fragment(`,"${name}":`);
const K = {
  requestId: member('requestId'), traceId: member('traceId'), method: member('method'), path: member('path'), status: member('status'),
  durationMs: member('durationMs'), bytesIn: member('bytesIn'), bytesOut: member('bytesOut'), client: member('client'), subject: member('subject'),
  clientId: member('clientId'), errors: member('errors'), upstreamOmitted: member('upstreamOmitted'), rejectedHeaders: member('rejectedHeaders'),
  operations: fragment(',"operations":['), upstream: fragment(',"upstream":['), ms: member('ms'),
};

/** A content-length header as the number JSON.stringify would write for `Number(value)`. */
function byteCount(out: JsonBytes, key: Buffer, value: string | null): void {
  if (value === null) return;
  out.raw(key);
  out.number(Number(value));
}

// An operation's member keys: `"name":` for its first member, `,"name":` for the others.
type OperationKey = 'name' | 'type' | 'hash' | 'durationMs' | 'errors' | 'variables' | 'fields';
const OPERATION_KEYS: readonly OperationKey[] = ['name', 'type', 'hash', 'durationMs', 'errors', 'variables', 'fields'];
const FIRST = Object.fromEntries(OPERATION_KEYS.map((k) => [k, fragment(`"${k}":`)])) as Record<OperationKey, Buffer>;
const LATER = Object.fromEntries(OPERATION_KEYS.map((k) => [k, fragment(`,"${k}":`)])) as Record<OperationKey, Buffer>;

/** `{"name":...,"type":...,"hash":...,"durationMs":...,"errors":[...],"variables":{...},"fields":{...}}`, absent members left out. */
function writeOperation(out: JsonBytes, op: OperationRecord): void {
  out.byte(OPEN_OBJECT);
  let first = true;
  const key = (name: OperationKey) => {
    out.raw(first ? FIRST[name] : LATER[name]);
    first = false;
  };
  if (op.name !== undefined) {
    key('name');
    out.string(op.name);
  }
  if (op.type !== undefined) {
    key('type');
    out.string(op.type);
  }
  if (op.hash !== undefined) {
    key('hash');
    out.string(op.hash);
  }
  if (op.durationMs !== undefined) {
    key('durationMs');
    out.ms(op.durationMs);
  }
  if (op.errors !== undefined) {
    key('errors');
    out.strings(op.errors);
  }
  const variables = op.variables === undefined ? undefined : JSON.stringify(op.variables);
  if (variables !== undefined) {
    key('variables');
    out.text(variables);
  }
  if (op.collector) {
    key('fields');
    op.collector.writeSummary(out);
  }
  out.byte(CLOSE_OBJECT);
}

/** An upstream entry's bytes up to `"startMs":`, for one combination of its constant members. */
interface Prefix {
  readonly method: string;
  readonly status: number | undefined;
  readonly failure: string | undefined;
  readonly attempt: number;
  readonly shared: boolean | undefined;
  readonly service: string;
  readonly bytes: Buffer;
}

// Per endpoint URL, the few combinations seen (a status or failure, an attempt number, shared or not).
const prefixes = new Map<string, Prefix[]>();
const MAX_PREFIXES = 16;

/** An upstream attempt's `{"service":...,"endpoint":...,"method":...,"status":...,"failure":...,"attempt":...,"shared":true,"startMs":`. */
function prefixOf(e: UpstreamCallRecord): Buffer {
  let known = prefixes.get(e.endpoint);
  if (known) {
    for (const p of known) {
      if (p.status === e.status && p.attempt === e.attempt && p.shared === e.shared && p.method === e.method && p.failure === e.failure && p.service === e.service) return p.bytes;
    }
  } else {
    // Endpoints are configured, but bounded anyway: a registry that churns replicas must not grow this.
    if (prefixes.size >= 1000) prefixes.clear();
    prefixes.set(e.endpoint, (known = []));
  }
  const { service, endpoint, method, status, failure, attempt, shared } = e;
  const bytes = fragment(`${JSON.stringify({ service, endpoint, method, status, failure, attempt, shared: shared || undefined }).slice(0, -1)},"startMs":`);
  if (known.length < MAX_PREFIXES) known.push({ method, status, failure, attempt, shared, service, bytes });
  return bytes;
}
