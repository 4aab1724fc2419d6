import { CLI } from '../helpers/cli.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productsBySales, reviews } from '../../services-mock/data.js';
import { startMockServer } from '../../services-mock/mock-server.js';
import { createGraphQLHandler } from '../../services-mock/services/graphql-handler.js';
import { shippingEstimateFor, stockOf } from '../../services-mock/services/inventory.js';
import { createUpstreams } from '../../src/balancing/index.js';
import { loadRegistry } from '../../src/registry/index.js';
import { JunctionError, type Problem } from '../../src/shared/errors.js';
import { buildGraph } from '../../src/stitching/index.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { requestCounts, resetCounts, startMocks, type MockFleet } from '../helpers/mocks.js';
import { DEMO_REGISTRY, demoRegistryFor, tempRegistry, type TempRegistry } from '../helpers/registry.js';
import { startSubgraphs } from './harness/subgraphs.js';
import { link } from './suites/link.js';

const run = promisify(execFile);
const manifest = (name: string, kind: string, url = 'http://127.0.0.1:1/graphql') => `name: ${name}\nkind: ${kind}\nendpoints:\n  - url: ${url}\n`;

describe('kind: federation in the demo registry, beside stitched services', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let gw: RunningGateway;
  beforeAll(async () => {
    mocks = await startMocks({ users: 1, products: 2, reviews: 1, orders: 1, inventory: 2 });
    registry = await demoRegistryFor(mocks);
    // Federation, not authorization: the demo's directives are tested in test/authz.
    gw = await startGateway({ registry: registry.dir, authz: { enabled: false } });
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });

  it('answers one query over stitched products and the inventory subgraph, which @requires the stitched price', async () => {
    resetCounts(mocks);
    const { body } = await gw.query('{ topProducts(first: 8) { id name price stock inStock shippingEstimate } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.topProducts).toEqual(
      productsBySales.slice(0, 8).map((p) => ({
        id: p.id, name: p.name, price: p.price, stock: stockOf(p.id), inStock: stockOf(p.id) > 0, shippingEstimate: shippingEstimateFor(p.price),
      })),
    );
    // One call to products (price included for @requires), one _entities call to inventory.
    expect(requestCounts(mocks)).toMatchObject({ products: 1, inventory: 1, reviews: 0, users: 0 });
  });

  it('reaches subgraph fields on products found through other stitched services (reviews, REST orders)', async () => {
    const { body } = await gw.query('{ review(id: "1") { product { id stock } } user(id: "1") { orders { lines { product { id inStock shippingEstimate } } } } }');
    expect(body.errors).toBeUndefined();
    const reviewed = reviews.find((r) => r.id === '1')!.productId;
    expect(body.data.review.product).toEqual({ id: reviewed, stock: stockOf(reviewed) });
    const lines = body.data.user.orders.flatMap((o: { lines: unknown[] }) => o.lines) as Array<{ product: { id: string; inStock: boolean; shippingEstimate: number } }>;
    expect(lines.length).toBeGreaterThan(0);
    for (const { product } of lines) {
      const price = productsBySales.find((p) => p.id === product.id)!.price;
      expect(product).toEqual({ id: product.id, inStock: stockOf(product.id) > 0, shippingEstimate: shippingEstimateFor(price) });
    }
  });

  it('balances a federation service over its replicas like any service', async () => {
    for (const replica of mocks.inventory!) replica.resetStats();
    for (let i = 0; i < 4; i++) await gw.query('{ product(id: "3") { stock } }');
    expect(mocks.inventory!.map((r) => r.stats().requests)).toEqual([2, 2]);
  });

  it('answers with partial data naming the subgraph when it is down', async () => {
    for (const replica of mocks.inventory!) replica.setFault('down');
    try {
      const { status, body } = await gw.query('{ product(id: "3") { name stock } user(id: "1") { name } }');
      expect(status).toBe(200);
      // stock is non-null, so the product is null; the rest of the answer is intact.
      expect(body.data).toEqual({ product: null, user: { name: 'Alice Liddell' } });
      expect(body.errors[0]).toMatchObject({ message: 'Service "inventory" is unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'inventory' } });
      expect(JSON.stringify(body)).not.toContain('127.0.0.1');
    } finally {
      for (const replica of mocks.inventory!) replica.setFault('ok');
    }
  });

  it('rejects a registry change that does not compose and keeps serving the last good graph', async () => {
    const sdl = await registry.read('inventory/schema.graphql');
    await registry.write('inventory/schema.graphql', sdl.replace('price: Float! @external', 'price: Int! @external'));
    try {
      const result = await gw.gateway.reload();
      expect(result.ok).toBe(false);
      expect(!result.ok && (result.error as { code?: string }).code).toBe('JNC_COMPOSITION_FAILED');
      const { body } = await gw.query('{ product(id: "3") { stock } }');
      expect(body).toEqual({ data: { product: { stock: stockOf('3') } } });
    } finally {
      await registry.write('inventory/schema.graphql', sdl);
    }
  });

  it('hides federation internals (_entities, _service, _Any, join__ types) from clients', async () => {
    const { body } = await gw.query('{ __schema { types { name } queryType { fields { name } } } }');
    const types = body.data.__schema.types.map((t: { name: string }) => t.name);
    expect(types.filter((t: string) => t.startsWith('_') && !t.startsWith('__'))).toEqual([]);
    expect(types.filter((t: string) => /^(join__|link__)/.test(t))).toEqual([]);
    expect(body.data.__schema.queryType.fields.map((f: { name: string }) => f.name).filter((f: string) => f.startsWith('_'))).toEqual([]);
  });
});

describe('a stitched service referring to an entity a federation subgraph owns', () => {
  it('fetches the subgraph-owned fields of entities a stitched service returns, in one _entities call', async () => {
    await using subgraphs = await startSubgraphs({
      catalog: {
        typeDefs: `${link('@key')}\ntype Query { books: [Book!]! }\ntype Book @key(fields: "id") { id: ID! title: String! }`,
        resolvers: { Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, title: `Title ${ref.id}` }) } },
      },
    });
    await using shelves = await startMockServer('shelves', createGraphQLHandler('type Book { id: ID! } type Query { shelf: [Book!]! }', {
      Query: { shelf: () => [{ id: 'b1' }, { id: 'b2' }, { id: 'b3' }] },
    }));
    await using registry = await tempRegistry();
    await registry.write('catalog/service.yaml', manifest('catalog', 'federation', subgraphs.byName['catalog']!.url));
    await registry.write('catalog/schema.graphql', `${link('@key')}\ntype Query { books: [Book!]! }\ntype Book @key(fields: "id") { id: ID! title: String! }`);
    await registry.write('shelves/service.yaml', manifest('shelves', 'graphql', `${shelves.url}/graphql`));
    await registry.write('shelves/schema.graphql', 'type Book @key(selectionSet: "{ id }") { id: ID! }\ntype Query { shelf: [Book!]! }\n');
    await using gw = await startGateway({ registry: registry.dir });
    subgraphs.resetCounts();
    const { body } = await gw.query('{ shelf { id title } }');
    expect(body).toEqual({ data: { shelf: ['b1', 'b2', 'b3'].map((id) => ({ id, title: `Title ${id}` })) } });
    expect(subgraphs.counts()).toEqual({ catalog: 1 });
  });
});

async function problemsOf(files: Record<string, string | undefined>): Promise<Problem[]> {
  await using registry = await tempRegistry();
  for (const [file, text] of Object.entries(files)) if (text !== undefined) await registry.write(file, text);
  try {
    const services = await loadRegistry(registry.dir);
    await using upstreams = createUpstreams();
    buildGraph({ services, fetcherFor: (s) => upstreams.fetcherFor(s) });
  } catch (error) {
    if (error instanceof JunctionError) return error.problems.map((p) => ({ ...p, file: p.file.replaceAll(registry.dir + '/', '') }));
    throw error;
  }
  return [];
}

const PRODUCTS = {
  'products/service.yaml': manifest('products', 'graphql'),
  'products/schema.graphql': 'type Product @key(selectionSet: "{ id }") { id: ID! name: String! price: Float! }\ntype Query { productsByIds(ids: [ID!]!): [Product]! @merge(keyField: "id") }\n',
};

describe('composition errors of federation services', () => {
  it.each([
    {
      name: 'a subgraph @key naming a field the type lacks',
      files: {
        'stock/service.yaml': manifest('stock', 'federation'),
        'stock/schema.graphql': `${link('@key')}\ntype Query { a: Int }\ntype Item @key(fields: "sku") {\n  id: ID!\n}\n`,
      },
      file: 'stock/schema.graphql', line: 3, message: /KEY_INVALID_FIELDS: \[stock\] On type "Item", for @key\(fields: "sku"\)/,
    },
    {
      name: 'an @external field whose type differs from the stitched service\'s',
      files: {
        ...PRODUCTS,
        'stock/service.yaml': manifest('stock', 'federation'),
        'stock/schema.graphql': `${link('@key', '@external', '@requires')}\ntype Product @key(fields: "id") { id: ID! price: Int! @external cost: Int! @requires(fields: "price") }\n`,
      },
      file: 'stock/schema.graphql, products/schema.graphql', line: undefined, message: /FIELD_TYPE_MISMATCH: Type of field "Product\.price" is incompatible across subgraphs: it has type "Float!" in the stitched services but type "Int!" in subgraph "stock"/,
    },
    {
      name: 'a field both a stitched service and a subgraph resolve, without @shareable in the subgraph',
      files: {
        ...PRODUCTS,
        'stock/service.yaml': manifest('stock', 'federation'),
        'stock/schema.graphql': `${link('@key')}\ntype Product @key(fields: "id") { id: ID! name: String! }\n`,
      },
      file: 'stock/schema.graphql, products/schema.graphql', line: undefined, message: /INVALID_FIELD_SHARING: Non-shareable field "Product\.name" is resolved from multiple subgraphs/,
    },
    {
      name: 'an @external field no service defines',
      files: {
        'stock/service.yaml': manifest('stock', 'federation'),
        'stock/schema.graphql': `${link('@key', '@external', '@requires')}\ntype Query { a: Int }\ntype Product @key(fields: "id") { id: ID! weight: Int! @external cost: Int! @requires(fields: "weight") }\n`,
      },
      file: 'stock/schema.graphql', line: undefined, message: /EXTERNAL_MISSING_ON_BASE: Field "Product\.weight" is marked @external/,
    },
    {
      name: 'a root field both a stitched service and a subgraph define',
      files: {
        ...PRODUCTS,
        'catalog/service.yaml': manifest('catalog', 'federation'),
        'catalog/schema.graphql': `${link('@key')}\ntype Query { productsByIds(ids: [ID!]!): [Int]! }\n`,
      },
      file: 'products/schema.graphql', line: undefined, message: 'Query.productsByIds is defined by service "products" and by federation subgraph "catalog"',
    },
    {
      name: 'an SDL syntax error',
      files: { 'stock/service.yaml': manifest('stock', 'federation'), 'stock/schema.graphql': `${link('@key')}\ntype Query {\n  a: Int\n` },
      file: 'stock/schema.graphql', line: 4, message: /SDL syntax error/,
    },
  ])('reports $name, naming the subgraph file and the type', async ({ files, file, line, message }) => {
    const problems = await problemsOf(files);
    const match = problems.find((p) => (typeof message === 'string' ? p.message === message : message.test(p.message)));
    expect(match, JSON.stringify(problems)).toBeDefined();
    expect(match!.file).toBe(file);
    expect(match!.line).toBe(line);
  });

  it('makes junction check exit 1 with the composition error, and start-up fail the same way', async () => {
    await using registry = await tempRegistry(DEMO_REGISTRY);
    await registry.write('inventory/schema.graphql', (await registry.read('inventory/schema.graphql')).replace('price: Float! @external', 'price: Int! @external'));
    const failure = await run(CLI[0]!, [...CLI.slice(1), 'check', '--registry', registry.dir]).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failure && failure.code).toBe(1);
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr).toContain('error JNC_COMPOSITION_FAILED: The federation subgraphs cannot be composed into a supergraph');
    expect(stderr).toContain(`${join(registry.dir, 'inventory/schema.graphql')}, ${join(registry.dir, 'products/schema.graphql')}: FIELD_TYPE_MISMATCH`);
    await expect(startGateway({ registry: registry.dir })).rejects.toMatchObject({ code: 'JNC_COMPOSITION_FAILED' });
  });
});
