import { accounts } from '../data.js';
import { readBody, sendJson, type RequestHandler } from '../mock-server.js';

/**
 * The backend auth service: checks a username/password and tells who it is.
 *   POST /authenticate {username, password} -> 200 {subject, name, roles, scopes} | 401
 */
export function createAuthHandler(): RequestHandler {
  return async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/authenticate') return sendJson(res, 404, { error: 'no such route' });
    let body: { username?: unknown; password?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, { error: 'invalid JSON' });
    }
    const account = accounts.find((a) => a.username === body.username && a.password === body.password);
    if (!account) return sendJson(res, 401, { error: 'invalid credentials' });
    const name = account.username === 'alice' ? 'Alice Liddell' : 'Bob Builder';
    return sendJson(res, 200, { subject: account.subject, name, roles: account.roles, scopes: account.scopes });
  };
}
