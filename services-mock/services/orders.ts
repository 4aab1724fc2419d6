import { orders, products, type Order } from '../data.js';
import { readBody, sendJson, type RequestHandler } from '../mock-server.js';

const productPrice = new Map(products.map((p) => [p.id, p.price]));

/**
 * Orders is a REST/JSON service:
 *   GET  /orders?userIds=1,2,3   orders of several users (the batch endpoint the gateway uses)
 *   GET  /orders?userId=1&limit=N
 *   GET  /orders/:id             one order, 404 when unknown
 *   POST /orders                 {userId, lines:[{productId, quantity}]} -> 201 order
 */
export function createOrdersHandler(): RequestHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://orders.local');
    const one = /^\/orders\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/orders') {
      const userIds = url.searchParams.get('userIds')?.split(',') ?? [];
      const userId = url.searchParams.get('userId');
      if (userId) userIds.push(userId);
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      const wanted = new Set(userIds);
      return sendJson(res, 200, orders.filter((o) => wanted.size === 0 || wanted.has(o.userId)).slice(0, limit));
    }
    if (req.method === 'GET' && one) {
      const order = orders.find((o) => o.id === decodeURIComponent(one[1]!));
      return order ? sendJson(res, 200, order) : sendJson(res, 404, { error: 'order not found' });
    }
    if (req.method === 'POST' && url.pathname === '/orders') {
      let input: { userId?: string; lines?: Array<{ productId: string; quantity: number }> };
      try {
        input = JSON.parse(await readBody(req));
      } catch {
        return sendJson(res, 400, { error: 'invalid JSON' });
      }
      const lines = (input.lines ?? []).map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: productPrice.get(l.productId) ?? NaN }));
      if (!input.userId || lines.length === 0 || lines.some((l) => Number.isNaN(l.unitPrice) || !(l.quantity > 0))) {
        return sendJson(res, 422, { error: 'userId and lines with known products and positive quantities are required' });
      }
      const order: Order = {
        id: String(1000 + orders.length + 1),
        userId: input.userId,
        placedAt: new Date().toISOString(),
        total: Math.round(lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) * 100) / 100,
        lines,
      };
      orders.push(order);
      return sendJson(res, 201, order);
    }
    return sendJson(res, 404, { error: 'no such route' });
  };
}
