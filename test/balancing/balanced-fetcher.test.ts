import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBalancedFetcher, UpstreamError, type BalancedFetcherOptions, type UpstreamCallRecord, type UpstreamEvent, type UpstreamRequest,
} from '../../src/balancing/index.js';
import { balancingManifestSchema } from '../../src/registry/index.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { waitFor } from './replica-process.js';

const QUERY: UpstreamRequest = {
  method: 'POST',
  path: '',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ query: '{ user(id: "1") { name } }' }),
  idempotent: true,
};
const MUTATION: UpstreamRequest = { ...QUERY, idempotent: false };

function collectingLogger() {
  const lines: Array<{ level: string; msg: string } & Record<string, unknown>> = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, msg, ...obj });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn') } };
}

describe('balanced fetcher against real servers', () => {
  let mocks: MockFleet;
  const urls = () => mocks.users!.map((m) => `${m.url}/graphql`);
  const fetchers: Array<{ close(): Promise<void> }> = [];
  const fetcher = (options: Omit<Partial<BalancedFetcherOptions>, 'balancing'> & { balancing?: Record<string, unknown> }) => {
    const f = createBalancedFetcher({
      service: 'users',
      endpoints: urls().map((url) => ({ url })),
      timeoutMs: 1000,
      ...options,
      balancing: balancingManifestSchema.parse({ algorithm: 'round-robin', ...options.balancing }),
    });
    fetchers.push(f);
    return f;
  };
  beforeEach(async () => {
    mocks = await startMocks({ users: 2 });
  });
  afterEach(async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.close()));
    await mocks[Symbol.asyncDispose]();
  });

  it('counts an endpoint that answers garbage as a failure and answers the query from another one', async () => {
    mocks.users![0]!.setFault('garbage');
    const records: UpstreamCallRecord[] = [];
    const f = fetcher({ observer: (r) => records.push(r) });
    const response = await f.request(QUERY);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ data: { user: { name: 'Alice Liddell' } } });
    expect(records.map((r) => [r.endpoint, r.attempt, r.status, r.failure])).toEqual([
      [urls()[0], 1, 200, 'bad-response'],
      [urls()[1], 2, 200, undefined],
    ]);
    expect(f.snapshot().endpoints.map((e) => [e.failures, e.successes, e.lastFailure])).toEqual([[1, 0, 'bad-response'], [0, 1, undefined]]);
  });

  it('returns the garbage answer (for the transport to report) when no other endpoint is left', async () => {
    for (const m of mocks.users!) m.setFault('garbage');
    const response = await fetcher({}).request(QUERY);
    expect(response.body).toContain('<html>');
    expect(response.attempt).toBe(2);
  });

  it('cuts an endpoint that accepts the request and never answers at the attempt timeout, then answers from another', async () => {
    mocks.users![0]!.setFault('slow', 10_000);
    const f = fetcher({ timeoutMs: 300 });
    const started = Date.now();
    const response = await f.request(QUERY);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.endpoint).toBe(urls()[1]);
    expect(f.snapshot().endpoints[0]).toMatchObject({ failures: 1, lastFailure: 'timeout', inFlight: 0 });
  });

  it('gives up at the total timeout, across attempts, with a timeout error naming only the service', async () => {
    for (const m of mocks.users!) m.setFault('slow', 10_000);
    const f = fetcher({ timeoutMs: 300, totalTimeoutMs: 450 });
    const started = Date.now();
    const error = await f.request(QUERY).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'timeout', message: 'Service "users" did not answer in time' });
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(2_000);
    expect(f.snapshot().endpoints.map((e) => e.failures)).toEqual([1, 1]);
  });

  it('retries a query after a 5xx on another endpoint', async () => {
    mocks.users![0]!.setFault('error');
    const response = await fetcher({}).request(QUERY);
    expect(response).toMatchObject({ status: 200, endpoint: urls()[1], attempt: 2 });
  });

  it('does not retry a mutation after a 5xx: the service may have run it; the 5xx answer is returned', async () => {
    mocks.users![0]!.setFault('error');
    const response = await fetcher({}).request(MUTATION);
    expect(response).toMatchObject({ status: 500, endpoint: urls()[0], attempt: 1 });
    expect(mocks.users![1]!.stats().requests).toBe(0);
  });

  it('retries a mutation whose connection was refused: it provably never reached the service', async () => {
    await mocks.users![0]!.close();
    const response = await fetcher({}).request(MUTATION);
    expect(response).toMatchObject({ status: 200, endpoint: urls()[1], attempt: 2 });
  });

  it('does not retry when maxRetries is 0', async () => {
    mocks.users![0]!.setFault('error');
    const response = await fetcher({ balancing: { retries: { maxRetries: 0 } } }).request(QUERY);
    expect(response).toMatchObject({ status: 500, attempt: 1 });
  });

  it('ejects for longer each time in a row, reports ejections through the event hook and logs every change', async () => {
    mocks.users![0]!.setFault('error');
    const events: UpstreamEvent[] = [];
    const { lines, logger } = collectingLogger();
    const f = fetcher({
      onEvent: (e) => events.push(e),
      logger,
      balancing: { slowStartMs: 0, outlierDetection: { consecutiveFailures: 2, baseEjectionMs: 400, maxEjectionMs: 700 }, retries: { maxRetries: 0 } },
    });
    const endpointEvents = () => events.filter((e) => e.type === 'endpoint-state');
    const failUntilEjected = async (n: number) => {
      while (endpointEvents().filter((e) => e.to === 'ejected').length < n) await f.request(QUERY);
    };
    await failUntilEjected(1);
    expect(f.snapshot().endpoints[0]).toMatchObject({ state: 'ejected', ejections: 1, failures: 2 });
    // While ejected, everything goes to the other endpoint.
    for (let i = 0; i < 4; i++) expect((await f.request(QUERY)).endpoint).toBe(urls()[1]);
    await waitFor(() => endpointEvents().length === 2, 'the ejection to end');
    await failUntilEjected(2);
    await waitFor(() => endpointEvents().length === 4, 'the second ejection to end');
    await failUntilEjected(3);
    expect(endpointEvents().map((e) => [e.to, e.ejectedForMs])).toEqual([
      ['ejected', 400], ['healthy', undefined], ['ejected', 700], ['healthy', undefined], ['ejected', 700],
    ]);
    expect(endpointEvents()[0]).toMatchObject({ service: 'users', endpoint: urls()[0], from: 'healthy', reason: '2 consecutive failures (last: bad-response)' });
    expect(lines.filter((l) => l.msg === 'upstream endpoint ejected')).toHaveLength(3);
    expect(lines.filter((l) => l.msg === 'upstream endpoint healthy')).toHaveLength(2);
  });

  it('never ejects more than maxEjectionPercent of the endpoints, and says so once', async () => {
    for (const m of mocks.users!) m.setFault('error');
    const { lines, logger } = collectingLogger();
    const f = fetcher({ logger, balancing: { outlierDetection: { consecutiveFailures: 2, maxEjectionPercent: 50 }, retries: { maxRetries: 0 } } });
    for (let i = 0; i < 10; i++) await f.request(QUERY);
    expect(f.snapshot().endpoints.map((e) => e.state).sort()).toEqual(['ejected', 'healthy']);
    expect(lines.filter((l) => l.msg.startsWith('upstream endpoint not ejected'))).toHaveLength(1);
  });

  it('starts slow start when the health checks pass again, not when an ejection ends while they still fail', async () => {
    const sick = mocks.users![0]!;
    sick.setFault('down');
    const f = fetcher({
      balancing: {
        slowStartMs: 5000,
        healthCheck: { path: '/healthz', intervalMs: 50, timeoutMs: 300, unhealthyThreshold: 1, healthyThreshold: 1 },
        outlierDetection: { consecutiveFailures: 1, baseEjectionMs: 100 },
      },
    });
    await f.request(QUERY); // fails on the sick endpoint (ejected), answered by the other
    await waitFor(() => f.snapshot().endpoints[0]!.state === 'unhealthy', 'the health checks to fail');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the ejection ended long ago; checks still fail
    expect(f.snapshot().endpoints[0]).toMatchObject({ state: 'unhealthy', effectiveWeight: 1 });
    sick.setFault('ok');
    await waitFor(() => f.snapshot().endpoints[0]!.state === 'slow-start', 'the checks to pass');
    expect(f.snapshot().endpoints[0]!.effectiveWeight).toBeLessThan(0.2);
  });

  it('probes GraphQL services with { __typename } when no path is given, and takes an endpoint answering garbage out', async () => {
    mocks.users![0]!.setFault('garbage');
    const { lines, logger } = collectingLogger();
    const f = fetcher({ logger, balancing: { healthCheck: { intervalMs: 50, timeoutMs: 500, unhealthyThreshold: 2, healthyThreshold: 1 } } });
    await waitFor(() => f.snapshot().endpoints[0]!.state === 'unhealthy', 'the garbage endpoint to fail its checks');
    expect(f.snapshot().endpoints[0]!.healthCheck).toMatchObject({ passing: false });
    expect(f.snapshot().endpoints[1]).toMatchObject({ state: 'healthy', healthCheck: { passing: true } });
    expect(lines.find((l) => l.msg === 'upstream endpoint unhealthy')).toMatchObject({ reason: '2 health checks failed (last: answer is not JSON)' });
    for (let i = 0; i < 4; i++) expect((await f.request(QUERY)).endpoint).toBe(urls()[1]);
    expect(mocks.users![0]!.stats().requests).toBeGreaterThan(0); // the probes reached it, through /graphql
  });
});
