import { createHash, timingSafeEqual } from 'node:crypto';
import { accounts } from '../data.js';
import { readBody, sendJson, type RequestHandler } from '../mock-server.js';

/**
 * OAuth clients known to the demo. Confidential clients have a secret (stored here as a SHA-256, as a
 * real service would store a hash); public clients (browser and mobile apps) have none.
 */
export const demoClients = [
  { clientId: 'demo-web', secret: undefined, roles: [], scopes: [] },
  { clientId: 'inventory-service', secret: 'inventory-secret', roles: ['service'], scopes: ['orders:read', 'users:read'] },
  { clientId: 'backoffice', secret: 'backoffice-secret', roles: ['service'], scopes: ['junction:introspect', 'junction:sessions'] },
] as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const clients = demoClients.map((c) => ({ ...c, secretHash: c.secret === undefined ? undefined : sha256(c.secret) }));
const names: Record<string, string> = { alice: 'Alice Liddell', bob: 'Bob Builder' };

/**
 * The backend auth service: the only place that knows passwords and client secrets. The gateway
 * asks it once per login and issues its own tokens afterwards.
 *   POST /authenticate          {username, password}      -> 200 {subject, name, roles, scopes} | 401
 *   POST /clients/authenticate  {clientId, clientSecret?} -> 200 {clientId, confidential, roles, scopes} | 401
 */
export function createAuthHandler(): RequestHandler {
  return async (req, res) => {
    if (req.method !== 'POST' || (req.url !== '/authenticate' && req.url !== '/clients/authenticate')) return sendJson(res, 404, { error: 'no such route' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { error: 'invalid JSON' });
    }
    if (req.url === '/clients/authenticate') {
      const client = clients.find((c) => c.clientId === body['clientId']);
      const secret = typeof body['clientSecret'] === 'string' ? body['clientSecret'] : undefined;
      const ok = client && (client.secretHash === undefined ? secret === undefined : secret !== undefined && timingSafeEqual(sha256(secret), client.secretHash));
      if (!client || !ok) return sendJson(res, 401, { error: 'invalid client credentials' });
      return sendJson(res, 200, { clientId: client.clientId, confidential: client.secretHash !== undefined, roles: client.roles, scopes: client.scopes });
    }
    const account = accounts.find((a) => a.username === body['username'] && a.password === body['password']);
    if (!account) return sendJson(res, 401, { error: 'invalid credentials' });
    return sendJson(res, 200, { subject: account.subject, name: names[account.username], roles: account.roles, scopes: account.scopes });
  };
}
