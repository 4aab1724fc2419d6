import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway.js';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.js';
import type { MockFleet } from '../helpers/mocks.js';

const JSON_ACCEPT = { accept: 'application/json' };
// GraphQL over HTTP: with this media type, requests that fail to parse or validate get 4xx.
const GRAPHQL_ACCEPT = { accept: 'application/graphql-response+json' };

describe('bad input and failing services', () => {
  let mocks: MockFleet;
  let gw: RunningGateway;
  let stack: DemoStack | undefined;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  beforeAll(async () => {
    ({ mocks, gw } = stack = await startDemoStack({ server: { bodyLimitBytes: 4096 }, limits: { maxDepth: 6, maxAliases: 3, maxTokens: 400, maxDirectives: 3, maxBatchedOperations: 2 } }));
  });
  afterAll(() => stack?.[Symbol.asyncDispose]());

  it('answers partial data and an error naming the service (never its URL) when a service is down', async () => {
    mocks.users![0]!.setFault('down');
    try {
      const { status, body } = await gw.query('{ topProducts(first: 2) { name } user(id: "1") { name } }');
      expect(status).toBe(200);
      expect(body.data.topProducts).toHaveLength(2);
      expect(body.data.user).toBeNull();
      expect(body.errors).toEqual([
        { message: 'Service "users" is unavailable', path: ['user'], locations: [{ line: 1, column: 34 }], extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'users' } },
      ]);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|http:|stack|ECONN|socket/i);
    } finally {
      mocks.users![0]!.setFault('ok');
    }
  });

  it('cuts a service that accepts the request and never answers at its timeout', async () => {
    mocks.products![0]!.setFault('slow', 10_000);
    try {
      const started = Date.now();
      const { body } = await gw.query('{ product(id: "1") { name } user(id: "2") { name } }');
      expect(Date.now() - started).toBeLessThan(5_000); // the registry's timeoutMs is 3000
      expect(body.data).toEqual({ product: null, user: { name: 'Bob Builder' } });
      expect(body.errors).toMatchObject([{ message: 'Service "products" did not answer in time', extensions: { code: 'UPSTREAM_TIMEOUT' } }]);
    } finally {
      mocks.products![0]!.setFault('ok');
    }
  });

  it.each([
    { name: 'malformed JSON', body: '{"query": ', headers: {}, status: 400, message: /POST body sent invalid JSON/ },
    { name: 'a GraphQL syntax error', body: JSON.stringify({ query: '{ topProducts { ' }), headers: GRAPHQL_ACCEPT, status: 400, message: /Syntax Error: Expected Name, found <EOF>/ },
    { name: 'an unknown field (graphql-response+json)', body: JSON.stringify({ query: '{ nope }' }), headers: GRAPHQL_ACCEPT, status: 400, message: /Cannot query field "nope" on type "Query"/ },
    { name: 'an unknown field (legacy application/json)', body: JSON.stringify({ query: '{ nope }' }), headers: JSON_ACCEPT, status: 200, message: /Cannot query field "nope" on type "Query"/ },
    { name: 'a missing query', body: JSON.stringify({ variables: {} }), headers: GRAPHQL_ACCEPT, status: 400, message: /Must provide query string/ },
    { name: 'too deep a query', body: JSON.stringify({ query: '{ user(id: "1") { reviews { product { reviews { author { reviews { id } } } } } } }' }), headers: GRAPHQL_ACCEPT, status: 400, message: /Query depth limit of 6 exceeded/ },
    { name: 'too many aliases', body: JSON.stringify({ query: '{ a: topProducts { id } b: topProducts { id } c: topProducts { id } d: topProducts { id } }' }), headers: GRAPHQL_ACCEPT, status: 400, message: /Aliases limit of 3 exceeded/ },
    { name: 'too many tokens', body: JSON.stringify({ query: `{ ${'a '.repeat(450)} }` }), headers: GRAPHQL_ACCEPT, status: 400, message: /Token limit of 400 exceeded/ },
    { name: 'too many directives', body: JSON.stringify({ query: '{ __typename @skip(if: false) @skip(if: false) @skip(if: false) @skip(if: false) }' }), headers: GRAPHQL_ACCEPT, status: 400, message: /Directives limit of 3 exceeded/ },
    { name: 'too many batched operations', body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }]), headers: {}, status: 413, message: /Batching is limited to 2 operations/ },
  ])('rejects $name with HTTP $status and a clear message', async ({ body, headers, status, message }) => {
    const res = await post(body, headers);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { errors: Array<{ message: string }> };
    expect(json.errors.map((e) => e.message).join('\n')).toMatch(message);
  });

  it('answers limit violations with 200 to legacy application/json clients, as the spec says', async () => {
    const res = await post(JSON.stringify({ query: '{ a: topProducts { id } b: topProducts { id } c: topProducts { id } d: topProducts { id } }' }), JSON_ACCEPT);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).toBe('Aliases limit of 3 exceeded, found 4.');
  });

  it('rejects a body over the limit with 413, with or without a Content-Length', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(5000) } });
    expect((await post(big)).status).toBe(413);
    const chunked = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } });
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('refuses a cross-site form post that could run a mutation (CSRF)', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=mutation%20%7B%20placeOrder(input%3A%7BuserId%3A%221%22%2Clines%3A%5B%5D%7D)%20%7B%20id%20%7D%20%7D',
    });
    expect(res.status).toBe(403);
    expect(mocks.orders![0]!.stats().byRoute['POST /orders']).toBeUndefined();
  });

  it('refuses mutations over GET', async () => {
    const res = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('mutation { placeOrder(input: {userId: "1", lines: []}) { id } }')}`);
    expect(res.status).toBe(405);
  });

  it('keeps serving everyone after all of the above', async () => {
    const { status, body } = await gw.query('{ topProducts(first: 1) { name } user(id: "1") { name } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.user.name).toBe('Alice Liddell');
  });
});
