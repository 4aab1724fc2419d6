import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway.js';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.js';
import type { MockFleet } from '../helpers/mocks.js';
import type { TempRegistry } from '../helpers/registry.js';

describe('access log', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let gw: RunningGateway;
  let stack: DemoStack | undefined;
  beforeAll(async () => {
    ({ mocks, registry, gw } = stack = await startDemoStack({
      telemetry: { fields: { detail: 'all' }, accessLog: { redactVariables: 'password|token|secret|apiKey|cardNumber|customSecretName' } },
    }));
  });
  afterAll(() => stack?.[Symbol.asyncDispose]());
  const linesSince = (n: number) => gw.logs().slice(n);
  /** The `which`-th request line logged since log line `n`. */
  const accessLine = (n: number, which = 0) => linesSince(n).filter((l) => l['msg'] === 'request')[which] as Record<string, any>;

  it('writes one JSON line per request with id, trace, client, operation, hash, status, codes, duration, bytes and every upstream call', async () => {
    const before = gw.logs().length;
    const { body } = await gw.query('query Mixed { topProducts(first: 2) { name reviews { rating } } user(id: "1") { name } }', undefined, { 'x-request-id': 'req-42' });
    expect(body.errors).toBeUndefined();
    const lines = linesSince(before).filter((l) => l['msg'] === 'request');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 'info', module: 'access', requestId: 'req-42', traceId: expect.stringMatching(/^[0-9a-f]{32}$/), method: 'POST', path: '/graphql',
      status: 200, durationMs: expect.any(Number), bytesIn: expect.any(Number), bytesOut: expect.any(Number), client: 'anonymous',
      operations: [{ name: 'Mixed', type: 'query', hash: expect.stringMatching(/^[0-9a-f]{64}$/), durationMs: expect.any(Number) }],
    });
    expect(typeof line['time']).toBe('string');
    const upstream = line['upstream'] as Array<Record<string, unknown>>;
    expect(upstream.map((u) => u['service']).sort()).toEqual(['products', 'reviews', 'users']);
    for (const call of upstream) {
      expect(call).toMatchObject({ endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/), method: 'POST', status: 200, attempt: 1, ms: expect.any(Number) });
    }
  });

  it('lists the GraphQL error codes and the failed upstream call when a service is down', async () => {
    const before = gw.logs().length;
    mocks.users![0]!.setFault('down');
    try {
      await gw.query('{ user(id: "1") { name } }');
    } finally {
      mocks.users![0]!.setFault('ok');
    }
    const line = accessLine(before);
    expect(line).toMatchObject({ status: 200, errors: ['UPSTREAM_UNAVAILABLE'], operations: [{ errors: ['UPSTREAM_UNAVAILABLE'] }] });
    expect(line['upstream']).toEqual([expect.objectContaining({ service: 'users', failure: 'reset', attempt: 1 })]);
  });

  it('lists each operation of a batched request with its own name, duration and field counts', async () => {
    const before = gw.logs().length;
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: 'query A { topProducts(first: 1) { name } }' }, { query: 'query B { user(id: "2") { name } }' }]),
    });
    expect(res.status).toBe(200);
    await res.text();
    const line = accessLine(before);
    expect(line['operations']).toEqual([
      expect.objectContaining({ name: 'A', durationMs: expect.any(Number), fields: { 'Query.topProducts': [1, expect.any(Number)], 'Product.name': [1, expect.any(Number)] } }),
      expect.objectContaining({ name: 'B', durationMs: expect.any(Number), fields: { 'Query.user': [1, expect.any(Number)], 'User.name': [1, expect.any(Number)] } }),
    ]);
  });

  it('logs a syntax error with its code and status, though nothing executed', async () => {
    const before = gw.logs().length;
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify({ query: '{ topProducts {' }),
    });
    expect(res.status).toBe(400);
    expect(accessLine(before)).toMatchObject({ status: 400, errors: ['GRAPHQL_PARSE_FAILED'], operations: [{ hash: sha256('{ topProducts {') }] });
  });

  it('gives each operation the sha256 of its text, the same on every request of that text', async () => {
    const query = 'query Hashed { user(id: "2") { name } }';
    const before = gw.logs().length;
    for (let i = 0; i < 3; i++) expect((await gw.query(query)).body.errors).toBeUndefined();
    const other = '{ user(id: "2") { name } }';
    expect((await gw.query(other)).body.errors).toBeUndefined();
    const hashes = linesSince(before).filter((l) => l['msg'] === 'request').map((l) => (l as Record<string, any>)['operations'][0].hash);
    expect(hashes).toEqual([sha256(query), sha256(query), sha256(query), sha256(other)]);
  });

  it('never logs Authorization, cookies, passwords, tokens or variables matching the configured pattern', async () => {
    const before = gw.logs().length;
    const secrets = ['Bearer-SECRET-1', 'session=COOKIE-SECRET-2', 'PASSWORD-SECRET-3', 'TOKEN-SECRET-4', 'APIKEY-SECRET-5', 'CARD-SECRET-6', 'CUSTOM-SECRET-7', 'URL-TOKEN-SECRET-8'];
    const body = JSON.stringify({
      query: 'query Login($password: String, $token: String, $input: PlaceOrderInput, $customSecretName: String, $n: Int) { topProducts(first: $n) { name } }',
      variables: { password: secrets[2], token: secrets[3], input: { userId: '1', apiKey: secrets[4], nested: [{ cardNumber: secrets[5] }] }, customSecretName: secrets[6], n: 1 },
    });
    // A bearer token authentication refuses (401) and a request it lets through, both carrying secrets.
    const refused = await fetch(`${gw.url}/graphql?access_token=${secrets[7]}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets[0]}`, cookie: secrets[1]! }, body,
    });
    expect(refused.status).toBe(401);
    await refused.text();
    const served = await fetch(`${gw.url}/graphql?access_token=${secrets[7]}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: secrets[1]! }, body });
    expect(served.status).toBe(200);
    await served.text();
    const text = JSON.stringify(linesSince(before));
    for (const secret of secrets) expect(text).not.toContain(secret);
    const line = accessLine(before, 1);
    expect(line['path']).toBe('/graphql');
    expect(line['operations'][0]['variables']).toEqual({
      password: '[redacted]', token: '[redacted]', input: { userId: '1', apiKey: '[redacted]', nested: [{ cardNumber: '[redacted]' }] }, customSecretName: '[redacted]', n: 1,
    });
  });

  it('cannot be forged by newlines or ANSI escapes in operation names, variables or headers: each request stays one JSON line', async () => {
    const lines: string[] = [];
    const forged = '"}\n{"level":"info","msg":"request","requestId":"forged","status":200}\n\u001b[31mred\u001b[0m';
    const stream = await import('node:stream');
    const sink = new stream.PassThrough();
    sink.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const { createLogger } = await import('../../src/telemetry/index.js');
    const { createGateway } = await import('../../src/index.js');
    await using local = await createGateway({ config: { registry: registry.dir, reload: { enabled: false } }, logger: createLogger({ destination: sink }) });
    const res = await local.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'ok\u001b[2J', 'user-agent': forged.replace(/\n/g, ' ') },
      body: JSON.stringify({ query: 'query Q($note: ID!) { product(id: $note) { name } }', operationName: forged, variables: { note: forged } }),
    });
    await res.text();
    const res2 = await local.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Q($note: ID!) { product(id: $note) { name } }', variables: { note: forged } }),
    });
    await res2.text();
    const output = lines.join('');
    expect(output).not.toContain('\u001b');
    const records = output.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((r) => r['requestId'] === 'forged')).toEqual([]);
    const access = records.filter((r) => r['msg'] === 'request');
    expect(access).toHaveLength(2);
    expect(access[0]!['operations']).toEqual([expect.objectContaining({ name: forged })]);
    expect(access[1]!['operations']).toEqual([expect.objectContaining({ name: 'Q', variables: { note: forged } })]);
  });

  it('writes the line of a request served in-process with gateway.fetch, where no Node response tells when it was sent', async () => {
    const before = gw.logs().length;
    const res = await gw.gateway.fetch('http://gateway.local/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'in-process-1' }, body: JSON.stringify({ query: '{ user(id: "1") { name } }' }),
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(accessLine(before)).toMatchObject({ requestId: 'in-process-1', status: 200, operations: [expect.objectContaining({ fields: expect.any(Object) })] });
  });

  it('writes the line of a request whose client hung up before the answer', async () => {
    const before = gw.logs().length;
    const { port } = new URL(gw.url);
    const body = JSON.stringify({ query: '{ topProducts(first: 2) { name reviews { rating } } }' });
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.end(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nx-request-id: hung-up-1\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    socket.destroy();
    const deadline = Date.now() + 3000;
    const line = () => linesSince(before).find((l) => l['msg'] === 'request' && l['requestId'] === 'hung-up-1');
    while (!line() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(line()).toMatchObject({ path: '/graphql', operations: [expect.objectContaining({ durationMs: expect.any(Number) })] });
  });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
