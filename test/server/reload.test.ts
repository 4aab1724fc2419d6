import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../helpers/gateway.js';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.js';
import type { MockFleet } from '../helpers/mocks.js';
import type { TempRegistry } from '../helpers/registry.js';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('hot reload of the registry', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let gw: RunningGateway;
  let stack: DemoStack | undefined;
  beforeAll(async () => {
    ({ mocks, registry, gw } = stack = await startDemoStack({ reload: { enabled: true, debounceMs: 50 } }));
  });
  afterAll(() => stack?.[Symbol.asyncDispose]());

  it('swaps in the rebuilt graph after a good edit, while a request in flight finishes on the old one', async () => {
    const version = gw.gateway.graph()!.version;
    mocks.reviews![0]!.setFault('slow', 600);
    const inFlight = gw.query('{ product(id: "1") { name averageRating } }');
    await new Promise((r) => setTimeout(r, 100));
    // The reviews team stops publishing averageRating.
    const sdl = await registry.read('reviews/schema.graphql');
    await registry.write('reviews/schema.graphql', sdl.replace('  averageRating: Float\n', ''));
    await waitFor(() => gw.gateway.graph()!.version > version, 'the reload');
    mocks.reviews![0]!.setFault('ok');

    const old = await inFlight;
    expect(old.body.errors).toBeUndefined();
    expect(typeof old.body.data.product.averageRating).toBe('number');

    const after = await gw.query('{ product(id: "1") { name averageRating } }', undefined, { accept: 'application/graphql-response+json' });
    expect(after.status).toBe(400);
    expect(after.body.errors[0].message).toMatch(/Cannot query field "averageRating" on type "Product"/);
    expect(gw.logs().some((l) => l.msg === 'graph reloaded')).toBe(true);
  });

  it('keeps the last good graph after a bad edit and logs why', async () => {
    const version = gw.gateway.graph()!.version;
    const before = gw.logs().length;
    await registry.write('users/schema.graphql', 'type Query {\n  user(id: ID!): User\n');
    await waitFor(() => gw.logs().slice(before).some((l) => l.msg?.toString().startsWith('registry change rejected')), 'the rejection log');
    expect(gw.gateway.graph()!.version).toBe(version);
    const rejection = gw.logs().slice(before).find((l) => l.msg?.toString().startsWith('registry change rejected'))!;
    expect(JSON.stringify(rejection.problems)).toMatch(/users\/schema\.graphql.*SDL syntax error/);
    const { body } = await gw.query('{ user(id: "1") { name } }');
    expect(body).toEqual({ data: { user: { name: 'Alice Liddell' } } });
  });

  it('adds a newly registered service without a restart', async () => {
    const version = gw.gateway.graph()!.version;
    await registry.write('users/schema.graphql', 'type User @key(selectionSet: "{ id }") { id: ID! name: String! }\ntype Query {\n  user(id: ID!): User\n  usersByIds(ids: [ID!]!): [User]! @merge(keyField: "id")\n}\n');
    await waitFor(() => gw.gateway.graph()!.version > version, 'the fixed registry');
    await registry.write('catalog/service.yaml', `name: catalog\nkind: graphql\nendpoints:\n  - url: ${mocks.products![0]!.url}/graphql\n`);
    await registry.write('catalog/schema.graphql', 'type Query {\n  catalogProduct(id: ID!): CatalogProduct\n}\ntype CatalogProduct { id: ID! }\n');
    await waitFor(() => gw.gateway.graph()!.services.some((s) => s.name === 'catalog'), 'the new service');
    const { body } = await gw.query('{ __type(name: "CatalogProduct") { name } }');
    expect(body.data.__type).toEqual({ name: 'CatalogProduct' });
  });
});
