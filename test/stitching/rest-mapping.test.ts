import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { orders, products, users } from '../../services-mock/data.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { demoRegistryFor, type TempRegistry } from '../helpers/registry.js';

describe('REST services mapped with @http', () => {
  let mocks: MockFleet;
  let registry: TempRegistry;
  let gw: RunningGateway;
  const ordersMock = () => mocks.orders![0]!;
  beforeAll(async () => {
    mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1 });
    registry = await demoRegistryFor(mocks);
    // REST mapping, not authorization: the demo's directives are tested in test/authz.
    gw = await startGateway({ registry: registry.dir, authz: { enabled: false } });
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await mocks?.[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
  });
  beforeEach(() => {
    ordersMock().resetStats();
    ordersMock().setFault('ok');
  });

  it('fills a path template from arguments: order(id) calls GET /orders/{id}', async () => {
    const order = orders[0]!;
    const { body } = await gw.query('query($id: ID!) { order(id: $id) { id userId total placedAt lines { quantity unitPrice } } }', { id: order.id });
    expect(body.errors).toBeUndefined();
    expect(body.data.order).toEqual({
      id: order.id, userId: order.userId, total: order.total, placedAt: order.placedAt,
      lines: order.lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice })),
    });
    expect(ordersMock().stats().byRoute).toEqual({ [`GET /orders/${order.id}`]: 1 });
  });

  it('answers null, without an error, when the REST service says 404', async () => {
    const { body } = await gw.query('{ order(id: "999999") { id } }');
    expect(body).toEqual({ data: { order: null } });
  });

  it('URL-encodes placeholders so an argument cannot walk to another path', async () => {
    const { body } = await gw.query('{ order(id: "../../admin?x=1") { id } }');
    expect(body.data.order).toBeNull();
    expect(Object.keys(ordersMock().stats().byRoute)).toEqual(['GET /orders/..%2F..%2Fadmin%3Fx%3D1']);
  });

  it('fills a query-string template and drops nothing that has a value', async () => {
    const mine = orders.filter((o) => o.userId === '1');
    const { body } = await gw.query('{ orders(userId: "1", first: 2) { id } }');
    expect(body.data.orders.map((o: { id: string }) => o.id)).toEqual(mine.slice(0, 2).map((o) => o.id));
  });

  it('batches a merged field of many parents into one call to the batch endpoint', async () => {
    const { body } = await gw.query('{ users(first: 20) { id orders { id total } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.users).toHaveLength(users.length);
    for (const user of body.data.users) {
      expect(user.orders).toEqual(orders.filter((o) => o.userId === user.id).map((o) => ({ id: o.id, total: o.total })));
    }
    expect(ordersMock().stats().byRoute).toEqual({ 'GET /orders': 1 });
  });

  it('maps JSON references onto entities of other services (@ref): order lines resolve products', async () => {
    const order = orders[0]!;
    const { body } = await gw.query(`{ order(id: "${order.id}") { lines { product { id name price } } } }`);
    expect(body.data.order.lines).toEqual(
      order.lines.map((l) => {
        const p = products.find((x) => x.id === l.productId)!;
        return { product: { id: p.id, name: p.name, price: p.price } };
      }),
    );
  });

  it('sends a mutation argument as the JSON body (@http body) and returns the created resource', async () => {
    const { body } = await gw.query(
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id userId total lines { quantity product { name } } } }',
      { input: { userId: '2', lines: [{ productId: '3', quantity: 2 }] } },
    );
    expect(body.errors).toBeUndefined();
    const product = products.find((p) => p.id === '3')!;
    expect(body.data.placeOrder).toMatchObject({ userId: '2', total: Math.round(product.price * 2 * 100) / 100, lines: [{ quantity: 2, product: { name: product.name } }] });
    expect(ordersMock().stats().byRoute).toEqual({ 'POST /orders': 1 });
  });

  it('reports a 4xx from the service as an error naming the service, not its body', async () => {
    const { body } = await gw.query('mutation { placeOrder(input: { userId: "2", lines: [{ productId: "nope", quantity: 1 }] }) { id } }');
    expect(body.data).toBeNull();
    expect(body.errors).toMatchObject([{ message: 'Service "orders" rejected the request (HTTP 422)', path: ['placeOrder'], extensions: { code: 'UPSTREAM_ERROR', service: 'orders' } }]);
  });

  it('turns a 500 or a non-JSON answer into a field error, keeping the rest of the response', async () => {
    for (const mode of ['error', 'garbage'] as const) {
      ordersMock().setFault(mode);
      const { body } = await gw.query('{ user(id: "1") { name orders { id } } }');
      // User.orders is nullable (a protected field, see README "Authorization"): the user stays.
      expect(body.data).toEqual({ user: { name: 'Alice Liddell', orders: null } });
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({
        message: mode === 'error' ? 'Service "orders" answered with an invalid response (HTTP 500)' : 'Service "orders" answered with an invalid response (HTTP 200)',
        path: ['user', 'orders'],
        extensions: { code: 'UPSTREAM_ERROR', service: 'orders' },
      });
      expect(JSON.stringify(body)).not.toContain('127.0.0.1');
    }
  });
});
