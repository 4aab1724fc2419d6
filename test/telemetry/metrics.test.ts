import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.js';
import type { MockFleet } from '../helpers/mocks.js';
import type { TempRegistry } from '../helpers/registry.js';

const TOKEN = 'metrics-admin-token-0123456789';

// The exposition format, line by line: comments (# HELP / # TYPE) or `name{labels} value`.
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;
const COMMENT = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$/;

describe('GET /metrics', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let gw: RunningGateway;
  let stack: DemoStack | undefined;
  beforeAll(async () => {
    ({ mocks, registry, gw } = stack = await startDemoStack({ telemetry: { admin: { token: TOKEN } } }));
  });
  afterAll(() => stack?.[Symbol.asyncDispose]());
  const scrape = () => fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });

  it('serves Prometheus text format with requests, operation and upstream durations, token failures, ejections and field counts', async () => {
    await gw.query('query Top { topProducts(first: 2) { name reviews { rating } } }');
    await gw.query('query Top { topProducts(first: 2) { name reviews { rating } } }');
    await gw.query('{ nope }');
    mocks.users![0]!.setFault('down');
    try {
      await gw.query('{ user(id: "1") { name } }');
    } finally {
      mocks.users![0]!.setFault('ok');
    }
    gw.gateway.telemetry!.recordTokenFailure('expired');
    gw.gateway.telemetry!.recordEjection('users', 'http://127.0.0.1:1/graphql');
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const line of text.split('\n').filter(Boolean)) expect(SAMPLE.test(line) || COMMENT.test(line), line).toBe(true);
    const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
    const value = (name: string, labels: Record<string, string>) =>
      Number(families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);
    expect(families.get('junction_http_requests_total')?.type).toBe('COUNTER');
    expect(value('junction_http_requests_total', { status: '200' })).toBe(3);
    expect(value('junction_http_requests_total', { status: '400' })).toBe(1);
    const operation = families.get('junction_operation_duration_seconds')!;
    expect(operation.type).toBe('HISTOGRAM');
    // (the parser keeps no labels of histogram series, so these are read from the text)
    expect(text).toMatch(/^junction_operation_duration_seconds_count\{operation="Top",type="query"\} 2$/m);
    expect(families.get('junction_upstream_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const upstream = [...text.matchAll(/^junction_upstream_request_duration_seconds_count\{service="(\w+)",endpoint="http:\/\/127\.0\.0\.1:\d+[^"]*",status="200"\} (\d+)$/gm)];
    expect(upstream.map((m) => `${m[1]} ${m[2]}`).sort()).toEqual(['products 2', 'reviews 2']);
    expect(value('junction_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(value('junction_token_validation_failures_total', { reason: 'expired' })).toBe(1);
    expect(value('junction_balancer_ejections_total', { service: 'users' })).toBe(1);
    expect(value('junction_field_resolutions_total', { coordinate: 'Product.name' })).toBe(4);
    expect(value('junction_field_resolutions_total', { coordinate: 'Query.topProducts' })).toBe(2);
    expect(value('junction_field_errors_total', { coordinate: 'Query.user' })).toBe(1);
    expect(value('junction_graphql_errors_total', { code: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
    expect(families.get('junction_usage_dropped_total')?.metrics[0]?.value).toBe('0');
    expect(families.has('process_cpu_user_seconds_total')).toBe(true);
  });

  it('counts authorization denials by coordinate, code and scope', async () => {
    const count = async () => Number(/^junction_authz_denials_total\{coordinate="User\.orders",code="UNAUTHENTICATED",scope="field"\} (\d+)$/m.exec(await (await scrape()).text())?.[1] ?? 0);
    const before = await count();
    // An anonymous viewer fails User.orders' owner-or-admin policy, once per user object.
    const { body } = await gw.query('{ a: user(id: "1") { orders { id } } b: user(id: "2") { orders { id } } }');
    expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(await count()).toBe(before + 2);
  });

  it('counts field resolutions cumulatively across scrapes', async () => {
    const before = Number(/junction_field_resolutions_total\{coordinate="Query\.topProducts"\} (\d+)/.exec(await (await scrape()).text())?.[1]);
    await gw.query('{ topProducts(first: 1) { name } }');
    const after = Number(/junction_field_resolutions_total\{coordinate="Query\.topProducts"\} (\d+)/.exec(await (await scrape()).text())?.[1]);
    expect(after).toBe(before + 1);
  });

  it.each<{ headers: Record<string, string>; status: number; why: string }>([
    { headers: {}, status: 401, why: 'no credentials' },
    { headers: { authorization: 'Bearer wrong-token-0123456789' }, status: 401, why: 'a wrong token' },
    { headers: { authorization: `Basic ${TOKEN}` }, status: 401, why: 'another scheme' },
  ])('refuses $why with $status and reveals nothing', async ({ headers, status }) => {
    const res = await fetch(`${gw.url}/metrics`, { headers });
    expect(res.status).toBe(status);
    expect(await res.text()).not.toMatch(/junction_|127\.0\.0\.1/);
  });

  it('answers 405 with Allow: GET to another method, before looking at credentials', async () => {
    const res = await fetch(`${gw.url}/metrics`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(await res.json()).toEqual({ error: 'use GET' });
  });

  it('is open to anyone with metrics.requireAdmin: false', async () => {
    await using open = await startGateway({ registry: registry.dir, telemetry: { metrics: { requireAdmin: false } } });
    const res = await fetch(`${open.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE junction_http_requests_total counter');
  });
});
