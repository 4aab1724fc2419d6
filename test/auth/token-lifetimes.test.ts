import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMocks, type MockFleet } from '../helpers/mocks.js';
import { authInProcess } from './in-process.js';

const S = 1000;
const DAY = 86_400 * S;
const VIEWER = '{ viewer { authenticated subject name roles scopes clientId tokenKind tokenId issuer expiresAt } }';

describe('token lifetimes (injected clock, no sleeping)', () => {
  let mocks: MockFleet;
  beforeAll(async () => {
    mocks = await startMocks({ auth: 1 });
  });
  afterAll(async () => {
    await mocks?.[Symbol.asyncDispose]();
  });
  const setup = () => authInProcess({ authService: { url: mocks.auth![0]!.url } });
  const login = async (gw: Awaited<ReturnType<typeof setup>>, format: 'jwt' | 'opaque') => {
    const res = await gw.form('/auth/token', { grant_type: 'password', username: 'alice', password: 'wonderland', token_format: format });
    expect(res.status).toBe(200);
    return res.body as { access_token: string; refresh_token: string; expires_in: number };
  };

  it('puts a typed viewer on the GraphQL context: anonymous without a token, the token holder with one', async () => {
    await using gw = await setup();
    expect((await gw.graphql(VIEWER)).body.data.viewer).toEqual({
      authenticated: false, subject: null, name: null, roles: [], scopes: [], clientId: null, tokenKind: null, tokenId: null, issuer: null, expiresAt: null,
    });
    const { access_token } = await login(gw, 'jwt');
    const viewer = (await gw.graphql(VIEWER, { authorization: `Bearer ${access_token}` })).body.data.viewer;
    expect(viewer).toEqual({
      authenticated: true, subject: '1', name: 'Alice Liddell', roles: ['admin'], scopes: ['orders:read', 'orders:write', 'users:read'],
      clientId: null, tokenKind: 'jwt', tokenId: expect.any(String), issuer: 'junction', expiresAt: Math.floor((gw.now() + 900 * S) / 1000) * 1000,
    });
  });

  it('accepts a JWT until its exp (plus the 5 s clock tolerance), and an opaque token until its expiry exactly', async () => {
    await using gw = await setup();
    const jwt = await login(gw, 'jwt');
    const opaque = await login(gw, 'opaque');
    const status = async (token: string) => (await gw.graphql(VIEWER, { authorization: `Bearer ${token}` })).body.errors?.[0].extensions.reason ?? 'ok';
    gw.advance(899 * S);
    expect([await status(jwt.access_token), await status(opaque.access_token)]).toEqual(['ok', 'ok']);
    gw.advance(2 * S);
    expect([await status(jwt.access_token), await status(opaque.access_token)]).toEqual(['ok', 'inactive']);
    gw.advance(5 * S);
    expect(await status(jwt.access_token)).toBe('expired');
  });

  it('lets a refresh token lapse after 14 idle days, and ends a session after 30 days however often it is refreshed', async () => {
    await using gw = await setup();
    const idle = await login(gw, 'jwt');
    gw.advance(14 * DAY + S);
    expect((await gw.form('/auth/token', { grant_type: 'refresh_token', refresh_token: idle.refresh_token })).body.error).toBe('invalid_grant');

    let current = (await login(gw, 'opaque')).refresh_token;
    for (let day = 10; day <= 20; day += 10) {
      gw.advance(10 * DAY);
      const res = await gw.form('/auth/token', { grant_type: 'refresh_token', refresh_token: current });
      expect(res.status, `day ${day}`).toBe(200);
      current = res.body.refresh_token;
    }
    gw.advance(10 * DAY - 300 * S);
    const last = await gw.form('/auth/token', { grant_type: 'refresh_token', refresh_token: current });
    expect(last.status).toBe(200);
    // The session ends at day 30: an access token issued 5 minutes before is cut short to that.
    expect(last.body.expires_in).toBe(300);
    gw.advance(DAY);
    expect((await gw.form('/auth/token', { grant_type: 'refresh_token', refresh_token: last.body.refresh_token })).body.error).toBe('invalid_grant');
  });

  it('reports every outcome as a typed event: issued, authenticated, rejected with its reason, reuse detected', async () => {
    await using gw = await setup();
    const session = await login(gw, 'jwt');
    await gw.graphql(VIEWER, { authorization: `Bearer ${session.access_token}` });
    gw.advance(1000 * S);
    await gw.graphql(VIEWER, { authorization: `Bearer ${session.access_token}` });
    await gw.graphql(VIEWER, { authorization: 'Bearer not.a.jwt' });
    await gw.form('/auth/token', { grant_type: 'password', username: 'alice', password: 'nope' });
    await gw.form('/auth/token', { grant_type: 'refresh_token', refresh_token: session.refresh_token });
    await gw.form('/auth/token', { grant_type: 'refresh_token', refresh_token: session.refresh_token });
    expect(gw.events.map((e) => (e.type === 'rejected' ? `rejected:${e.reason}:${e.status}` : e.type === 'token_refused' ? `refused:${e.grant}:${e.error}` : e.type))).toEqual([
      'token_issued',
      'authenticated',
      'rejected:expired:401',
      'rejected:malformed:401',
      'refused:password:invalid_grant',
      'token_issued',
      'refresh_reuse_detected',
      'refused:refresh_token:invalid_grant',
    ]);
    expect(gw.events[1]).toMatchObject({ type: 'authenticated', viewer: { subject: '1', tokenKind: 'jwt' } });
    expect(gw.events[0]).toEqual({ type: 'token_issued', grant: 'password', format: 'jwt', clientId: undefined, subject: '1' });
  });
});
