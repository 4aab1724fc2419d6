import type { IncomingHttpHeaders } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type RunningMock } from '../../services-mock/mock-server.js';
import { mockServices } from '../../services-mock/services/index.js';
import { resolveConfig } from '../../src/config/index.js';
import type { GatewayContext } from '../../src/shared/gateway-context.js';
import { ANONYMOUS_VIEWER } from '../../src/shared/viewer.js';
import { createLogger, createTelemetry, useTelemetry } from '../../src/telemetry/index.js';
import { acceptRequestId, continueTrace, formatTraceparent } from '../../src/telemetry/trace-context.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';

const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('trace context parsing', () => {
  it.each([
    { header: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, continued: true, why: 'a valid sampled traceparent' },
    { header: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-00`, continued: true, why: 'a valid unsampled traceparent' },
    { header: `01-${CLIENT_TRACE}-${CLIENT_SPAN}-01-extra`, continued: true, why: 'a future version with extra fields' },
    { header: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01-extra`, continued: false, why: 'version 00 with extra fields' },
    { header: `ff-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, continued: false, why: 'the forbidden version ff' },
    { header: `00-${'0'.repeat(32)}-${CLIENT_SPAN}-01`, continued: false, why: 'an all-zero trace id' },
    { header: `00-${CLIENT_TRACE}-${'0'.repeat(16)}-01`, continued: false, why: 'an all-zero parent id' },
    { header: `00-${CLIENT_TRACE.toUpperCase()}-${CLIENT_SPAN}-01`, continued: false, why: 'upper-case hex' },
    { header: '00-xyz-abc-01', continued: false, why: 'garbage' },
    { header: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01${'x'.repeat(600)}`, continued: false, why: 'a huge header' },
  ])('continues the trace of $why: $continued', ({ header, continued }) => {
    const { trace, rejected } = continueTrace(header, null, () => false);
    expect(rejected).toBe(!continued);
    expect(trace.traceId === CLIENT_TRACE).toBe(continued);
    expect(trace.parentSpanId === CLIENT_SPAN).toBe(continued);
    expect(formatTraceparent(trace)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(trace.spanId).not.toBe(CLIENT_SPAN);
  });

  it.each([
    { value: 'abc-123_DEF.4:5', kept: true },
    { value: 'x'.repeat(128), kept: true },
    { value: 'x'.repeat(129), kept: false },
    { value: 'has space', kept: false },
    { value: 'line\nbreak', kept: false },
    { value: '\u001b[31mred', kept: false },
    { value: '', kept: false },
  ])('keeps the client request id "$value" only when short and plain: $kept', ({ value, kept }) => {
    const { id, rejected } = acceptRequestId(value);
    expect(id === value).toBe(kept);
    expect(rejected).toBe(!kept);
    if (!kept) expect(id).toMatch(UUID_V4);
  });

  it('generates distinct version 4 UUIDs and ids across many refills of the random pool', () => {
    const ids = Array.from({ length: 5000 }, () => acceptRequestId(null).id);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
    const traces = Array.from({ length: 5000 }, () => continueTrace(null, null, () => false).trace);
    for (const t of traces) expect(formatTraceparent(t)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(new Set(traces.map((t) => t.traceId)).size).toBe(traces.length);
    expect(new Set(traces.map((t) => t.spanId)).size).toBe(traces.length);
  });
});

describe('trace context propagation', () => {
  const seen: Record<string, IncomingHttpHeaders[]> = {};
  let fleet: Record<string, RunningMock[]>;
  let registry: TempRegistry;
  let gw: RunningGateway;
  beforeAll(async () => {
    fleet = {};
    for (const name of ['users', 'products', 'reviews', 'orders']) {
      const handle = mockServices[name]!();
      seen[name] = [];
      fleet[name] = [await startMockServer(name, (req, res) => {
        seen[name]!.push(req.headers);
        return handle(req, res);
      })];
    }
    registry = await demoRegistryFor(fleet);
    gw = await startGateway({ registry: registry.dir, authz: { enabled: false } });
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await Promise.all(Object.values(fleet ?? {}).flat().map((m) => m.close()));
    await registry?.[Symbol.asyncDispose]();
  });
  const reset = () => Object.values(seen).forEach((list) => (list.length = 0));
  const demo = '{ topProducts(first: 2) { name reviews { author { name } } } user(id: "1") { orders { id } } }';

  it("sends the client's trace id, the gateway's span and the request id to every service called", async () => {
    reset();
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, tracestate: 'vendor=abc', 'x-request-id': 'client-req-1' },
      body: JSON.stringify({ query: demo }),
    });
    expect(res.headers.get('x-request-id')).toBe('client-req-1');
    await res.text();
    const calls = Object.entries(seen).flatMap(([service, list]) => list.map((h) => ({ service, h })));
    expect(new Set(calls.map((c) => c.service))).toEqual(new Set(['users', 'products', 'reviews', 'orders']));
    const gatewaySpans = new Set<string>();
    for (const { h } of calls) {
      const [version, traceId, parent, flags] = String(h['traceparent']).split('-');
      expect({ version, traceId, flags }).toEqual({ version: '00', traceId: CLIENT_TRACE, flags: '01' });
      expect(parent).not.toBe(CLIENT_SPAN);
      gatewaySpans.add(parent!);
      expect(h['tracestate']).toBe('vendor=abc');
      expect(h['x-request-id']).toBe('client-req-1');
    }
    expect(gatewaySpans.size).toBe(1);
    expect(gw.logs().find((l) => l['requestId'] === 'client-req-1')).toMatchObject({ traceId: CLIENT_TRACE });
  });

  it('starts a new trace and request id when the client sends malformed or huge ones, and never echoes or logs them', async () => {
    reset();
    const before = gw.logs().length;
    const badId = `evil-${'A'.repeat(5000)}`;
    const badTrace = `00-${CLIENT_TRACE}-NOTHEX-01\r\nx-injected: 1`.replace(/\r\n/g, ' ');
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: badTrace, 'x-request-id': badId },
      body: JSON.stringify({ query: '{ user(id: "1") { name } }' }),
    });
    await res.text();
    const echoed = res.headers.get('x-request-id')!;
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    const [header] = seen['users']!;
    expect(header!['x-request-id']).toBe(echoed);
    expect(String(header!['traceparent'])).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(String(header!['traceparent'])).not.toContain(CLIENT_TRACE);
    const lines = gw.logs().slice(before);
    expect(JSON.stringify(lines)).not.toContain('AAAAAAAAAA');
    expect(JSON.stringify(lines)).not.toContain('NOTHEX');
    expect(lines.find((l) => l['msg'] === 'request')).toMatchObject({ requestId: echoed, rejectedHeaders: ['x-request-id', 'traceparent'] });
  });

  it('puts the request id on the GraphQL context for other modules', async () => {
    // The plugin alone, in-process: no gateway module reads context.requestId yet, so a resolver does.
    await using telemetry = createTelemetry({ config: resolveConfig({}).telemetry, logger: createLogger({ level: 'silent' }), currentGraph: () => undefined });
    const yoga = createYoga<object, GatewayContext>({
      schema: createSchema<GatewayContext>({
        typeDefs: 'type Query { requestId: String }',
        resolvers: { Query: { requestId: (_: unknown, __: unknown, context: GatewayContext) => context.requestId } },
      }),
      context: ({ request }) => ({ viewer: ANONYMOUS_VIEWER, request }),
      plugins: [useTelemetry({ telemetry })],
      logging: false,
    });
    const res = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'ctx-7' }, body: JSON.stringify({ query: '{ requestId }' }),
    });
    expect(await res.json()).toEqual({ data: { requestId: 'ctx-7' } });
    await yoga.dispose();
  });

  it('answers every request, also health probes, with a request id', async () => {
    const res = await fetch(`${gw.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
