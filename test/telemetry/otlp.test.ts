import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** A real OTLP/HTTP receiver: keeps every span posted to /v1/traces (JSON encoding). */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; contentTypes: string[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    contentTypes.push(String(req.headers['content-type']));
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
    for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    spans,
    contentTypes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string) => Object.values(span.attributes.find((a) => a.key === key)?.value ?? {})[0];

describe('OpenTelemetry export', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  beforeAll(async () => {
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1 });
    registry = await demoRegistryFor(mocks);
  });
  afterAll(async () => {
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });

  it('exports the request span, an operation span, a span per upstream call and (detailed) field spans over OTLP, in the caller\'s trace', async () => {
    const collector = await startCollector();
    try {
      const gateway = await createGateway({
        config: { registry: registry.dir, reload: { enabled: false }, telemetry: { tracing: { otlpEndpoint: collector.url }, fields: { detail: 'all' } } },
        logger: createLogger({ level: 'silent' }),
      });
      const res = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
        body: JSON.stringify({ query: 'query Top { topProducts(first: 1) { name reviews { rating } } }' }),
      });
      await res.text();
      await gateway.close(); // flushes the span processor
      const server = collector.spans.find((s) => s.name === 'graphql.request')!;
      expect(server).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', kind: 2 });
      expect(attr(server, 'http.response.status_code')).toBe(200);
      const operation = collector.spans.find((s) => s.name === 'graphql.operation Top')!;
      expect(operation).toMatchObject({ traceId: server.traceId, parentSpanId: server.spanId });
      expect(attr(operation, 'graphql.operation.type')).toBe('query');
      const upstream = collector.spans.filter((s) => s.name.startsWith('upstream '));
      expect(upstream.map((s) => s.name).sort()).toEqual(['upstream products', 'upstream reviews']);
      for (const span of upstream) expect(span).toMatchObject({ traceId: server.traceId, parentSpanId: server.spanId, kind: 3 });
      const fields = collector.spans.filter((s) => s.name.startsWith('field ')).map((s) => `${s.name} ${attr(s, 'graphql.field.path')}`);
      expect(fields.sort()).toEqual(['field Product.name topProducts.0.name', 'field Product.reviews topProducts.0.reviews', 'field Query.topProducts topProducts',
        ...Array.from({ length: fields.length - 3 }, (_, i) => `field Review.rating topProducts.0.reviews.${i}.rating`)].sort());
      expect(collector.contentTypes[0]).toContain('application/json');
    } finally {
      await collector.close();
    }
  });
});
