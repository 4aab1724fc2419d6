import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startAuthFleet, type AuthFleet } from '../auth/auth-helpers.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

const ADMIN_TOKEN = 'operator-secret-token';

describe('access to the /admin routes', () => {
  let fleet: AuthFleet;
  let gw: RunningGateway;
  beforeAll(async () => {
    fleet = await startAuthFleet();
    gw = await startGateway({ registry: fleet.registry.dir, auth: { authService: { url: fleet.authUrl } }, balancing: { admin: { token: ADMIN_TOKEN } } });
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await fleet?.[Symbol.asyncDispose]();
  });
  const upstreams = (authorization?: string) => fetch(`${gw.url}/admin/upstreams`, { headers: authorization ? { authorization } : {} });

  it('admits a signed-in viewer with the admin role (alice)', async () => {
    const { access_token } = await login(gw.url, 'alice', 'wonderland');
    const res = await upstreams(`Bearer ${access_token}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { services: Array<{ name: string }> }).services.map((s) => s.name)).toContain('users');
  });

  it('refuses a signed-in viewer without it (bob) with 403', async () => {
    const { access_token } = await login(gw.url, 'bob', 'builder');
    const res = await upstreams(`Bearer ${access_token}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'Admin routes need the "admin" role or the admin token' });
  });

  it("admits the operator's admin token, which authentication alone would reject", async () => {
    expect((await upstreams(`Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
    const graphql = await gw.query('{ __typename }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(graphql.status).toBe(401);
  });

  it('asks anonymous callers to authenticate (401)', async () => {
    const res = await upstreams();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });
});
