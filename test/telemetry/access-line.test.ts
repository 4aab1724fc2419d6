import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { writeAccessLine } from '../../src/telemetry/access-line.js';
import { FieldCollector, NO_INDEX } from '../../src/telemetry/field-collector.js';
import { instrumentSchema } from '../../src/telemetry/field-table.js';
import type { UpstreamCallRecord } from '../../src/balancing/index.js';
import { JsonBytes } from '../../src/telemetry/json-bytes.js';
import type { OperationRecord, RequestState } from '../../src/telemetry/request-state.js';
import type { Viewer } from '../../src/shared/viewer.js';

const table = instrumentSchema(buildSchema('type Query { a: Int, "b" b: String, c: [T] } type T { x: Int, y: String }'), {
  totalsFor: () => ({ count: 0, errors: 0, seconds: 0 }),
});
const at = (coordinate: string) => table.index.get(coordinate)!;

/** A planner-style report over coordinates a, c, T.x, T.y (and one the table does not know). */
function report(collector: FieldCollector, counts: number[], errors: number[], ms: number[]) {
  const indexes = Uint32Array.from([at('Query.a'), at('Query.c'), at('T.x'), at('T.y'), NO_INDEX]);
  collector.addCounts(indexes, Uint32Array.from(counts), Uint32Array.from(errors), new Uint32Array(5), Float64Array.from(ms));
}

function state(operations: OperationRecord[], upstream: UpstreamCallRecord[], over: Partial<RequestState> = {}): RequestState {
  return {
    id: 'req-1', span: { trace: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), flags: '00' }, recording: false, child() {}, end() {} },
    started: 100, method: 'POST', path: '/graphql', logged: true, rejectedHeaders: [], operations, upstream, upstreamOmitted: 0, errorCodes: [],
    ...over,
  };
}

/** A balancer's record of one attempt (startedAt on the request's clock, which started at 100). */
function entry(over: Partial<UpstreamCallRecord> & { startMs?: number; ms?: number }): UpstreamCallRecord {
  const { startMs = 1.25, ms = 10.125, ...rest } = over;
  return { service: 'users', endpoint: 'http://127.0.0.1:4001/graphql', method: 'POST', status: 200, attempt: 1, startedAt: 100 + startMs, durationMs: ms, region: 'eu', ...rest };
}

/** What the line holds, built as one object: its members must serialize to exactly this. */
function expected(s: RequestState, status: number, durationMs: number, bytesIn: number | undefined, bytesOut: number | undefined) {
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    requestId: s.id, traceId: s.span.trace.traceId, method: s.method, path: s.path, status, durationMs: round(durationMs), bytesIn, bytesOut,
    client: s.viewer?.clientId ?? s.viewer?.subject ?? 'anonymous', subject: s.viewer?.subject, clientId: s.viewer?.clientId,
    errors: s.errorCodes.length ? s.errorCodes : undefined, upstreamOmitted: s.upstreamOmitted || undefined,
    rejectedHeaders: s.rejectedHeaders.length ? s.rejectedHeaders : undefined,
    operations: s.operations.length ? s.operations.map((op) => ({
      name: op.name, type: op.type, hash: op.hash, durationMs: op.durationMs === undefined ? undefined : round(op.durationMs),
      errors: op.errors, variables: op.variables, fields: op.collector?.summary(),
    })) : undefined,
    upstream: s.upstream.length ? s.upstream.map((r) => ({
      service: r.service, endpoint: r.endpoint, method: r.method, status: r.status, failure: r.failure, attempt: r.attempt, shared: r.shared || undefined,
      startMs: round(r.startedAt - s.started), ms: round(r.durationMs),
    })) : undefined,
  };
}

const request = { headers: new Headers({ 'content-length': '120' }) } as Request;
const response = { headers: new Headers({ 'content-length': '2048' }) } as Response;

/** The members writeAccessLine appends, as one JSON object (a small buffer, so that writing grows it). */
function lineOf(s: RequestState, status = 200, durationMs = 12.5, req = request, res = response): string {
  const out = new JsonBytes(8);
  out.text('{"":0');
  writeAccessLine(out, s, status, durationMs, req, res);
  return `{${out.toString().slice('{"":0,'.length)}}`;
}

describe('access line', () => {
  it('writes the request, its operations, field summaries and upstream calls byte for byte as JSON.stringify does', () => {
    const planned = new FieldCollector(table, false, 10);
    report(planned, [1, 2, 6, 6, 9], [0, 1, 0, 0, 0], [12.3456789, 0, 0, 0.1 + 0.2, 0]);
    const wrapped = new FieldCollector(table, false, 10);
    wrapped.done(at('Query.b'), performance.now() - 2, { path: undefined }, undefined, new Error('boom'));
    wrapped.counted(at('Query.a'), { path: undefined }, undefined, undefined);
    const twice = new FieldCollector(table, false, 10);
    report(twice, [1, 1, 1, 1, 0], [0, 0, 0, 0, 0], [1, 2, 3, 4, 0]);
    report(twice, [1, 0, 0, 2, 0], [1, 0, 0, 0, 0], [1.5, 0, 0, 0, 0]);
    const cases: RequestState[] = [
      state([{ params: {}, name: 'Demo', type: 'query', hash: 'f'.repeat(64), durationMs: 41.0500001, collector: planned }], [
        entry({}), entry({ shared: true }), entry({ status: undefined, failure: 'timeout', attempt: 2, ms: 0.1 + 0.2 }),
        entry({ service: 'orders', endpoint: 'http://127.0.0.1:4002', method: 'GET', status: 404 }), entry({}), entry({ shared: true, startMs: 0 }),
      ]),
      state([
        { params: {}, name: 'a"b\nc\u001b[31m', type: 'mutation', errors: ['BAD_USER_INPUT', 'x"y'], variables: { password: '[redacted]', note: 'line\nbreak "q"' }, durationMs: 3, collector: wrapped },
        { params: {} },
        { params: {}, name: 'Twice', collector: twice },
      ], []),
      state([], [entry({ service: 'we"ird', endpoint: 'http://h/\u2028' })]),
      state([], []),
      state([{ params: {}, name: `long ${'x'.repeat(300)}`, hash: 'ü\ud800' }], [], {
        id: 'id "quoted"', viewer: { subject: 'user-ü', clientId: 'app\u001b' } as Viewer, errorCodes: ['UNAUTHENTICATED', 'FORBIDDEN'],
        upstreamOmitted: 3, rejectedHeaders: ['x-request-id', 'traceparent'], path: '/graph\nql',
      }),
      state([], [], { viewer: { subject: 'only-subject' } as Viewer }),
    ];
    for (const s of cases) {
      expect(lineOf(s)).toBe(JSON.stringify(expected(s, 200, 12.5, 120, 2048)));
    }
    // No content-length, or one that is not a number.
    const bare = state([], []);
    const none = { headers: new Headers() } as Request;
    expect(lineOf(bare, 404, 0.0004, none, none as unknown as Response)).toBe(JSON.stringify(expected(bare, 404, 0.0004, undefined, undefined)));
    const odd = { headers: new Headers({ 'content-length': 'abc' }) } as Request;
    expect(lineOf(bare, 200, 1, odd, response)).toBe(JSON.stringify(expected(bare, 200, 1, Number.NaN, 2048)));
  });

  it('keeps apart upstream calls of one endpoint that differ in status, attempt or sharing', () => {
    const calls = [entry({}), entry({ status: 503 }), entry({ attempt: 2 }), entry({ shared: true }), entry({ method: 'GET' }), entry({})];
    const logged = (JSON.parse(lineOf(state([], calls))) as { upstream: Array<Record<string, unknown>> }).upstream;
    expect(logged.map((e) => [e['status'], e['attempt'], e['shared'], e['method']])).toEqual(calls.map((c) => [c.status, c.attempt, c.shared, c.method]));
  });

  it('writes milliseconds rounded to the microsecond exactly as JSON.stringify writes the rounded number', () => {
    const values = [0, -0, 0.0004, 0.0005, 0.001, 0.01, 0.02, 0.05, 0.1, 0.12, 0.123, 0.1 + 0.2, 1, 10.125, 41.05, 999.9995, 1e6 + 0.5, 2e9, -1.5, Number.NaN, Infinity];
    for (let i = 0; i < 20_000; i++) values.push(Math.random() * 10 ** Math.floor(Math.random() * 7));
    const written = (write: (out: JsonBytes) => void) => {
      const out = new JsonBytes(1);
      write(out);
      return out.toString();
    };
    for (const ms of values) expect(written((out) => out.ms(ms)), String(ms)).toBe(JSON.stringify(Math.round(ms * 1000) / 1000) ?? 'null');
  });

  it('writes numbers and strings exactly as JSON.stringify writes them', () => {
    const numbers = [0, -0, 1, 9, 10, 99, 100, 12345, 0x3fffffff, 0x40000000, 2 ** 53, -1, 1.5, 1e21, Number.NaN, Infinity];
    for (let i = 0; i < 5000; i++) numbers.push(Math.floor(Math.random() * 10 ** Math.floor(Math.random() * 10)));
    const strings = ['', 'plain', 'a"b', 'back\\slash', 'new\nline', '\u0000\u001f\u007f', 'ü', '\u2028', '\ud800', '😀', 'x'.repeat(257), 'y'.repeat(256), `${'z'.repeat(255)}"`, `${'q'.repeat(40)}\u0085`];
    for (const n of numbers) {
      const out = new JsonBytes(2);
      out.number(n);
      expect(out.toString(), String(n)).toBe(JSON.stringify(n));
    }
    for (const text of strings) {
      const out = new JsonBytes(2);
      out.string(text);
      out.byte(0x2c);
      out.strings([text, 'b']);
      expect(out.toString()).toBe(`${JSON.stringify(text)},${JSON.stringify([text, 'b'])}`);
    }
  });
});
