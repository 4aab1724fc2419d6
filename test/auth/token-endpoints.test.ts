import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { basic, login, postForm, startAuthFleet, WHOAMI, type AuthFleet } from './auth-helpers.js';

describe('token endpoints (memory store)', () => {
  let fleet: AuthFleet;
  let gw: RunningGateway;
  const token = (params: Record<string, string>, headers?: Record<string, string>, json?: boolean) => postForm(`${gw.url}/auth/token`, params, headers, json);
  const whoami = (accessToken: string) => gw.query(WHOAMI, undefined, { authorization: `Bearer ${accessToken}` });
  beforeAll(async () => {
    fleet = await startAuthFleet();
    gw = await startGateway({ registry: fleet.registry.dir, auth: { authService: { url: fleet.authUrl } } });
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await fleet?.[Symbol.asyncDispose]();
  });

  it('password grant issues a signed at+jwt with the user claims, and the graph accepts it', async () => {
    const res = await token({ grant_type: 'password', username: 'alice', password: 'wonderland' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'orders:read orders:write users:read' });
    expect(res.body.refresh_token).toMatch(/^jnc_rt_/);
    const jwks = await (await fetch(`${gw.url}/.well-known/jwks.json`)).json();
    const { payload, protectedHeader } = await jwtVerify(res.body.access_token, createLocalJWKSet(jwks), { issuer: 'junction', audience: 'junction' });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0].kid });
    expect(payload).toMatchObject({ sub: '1', name: 'Alice Liddell', roles: ['admin'], scope: 'orders:read orders:write users:read' });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(typeof payload.jti).toBe('string');
    const { status, body } = await whoami(res.body.access_token);
    expect(status).toBe(200);
    expect(body.data.whoami).toMatchObject({ subject: '1', roles: 'admin', scopes: 'orders:read orders:write users:read', tokenKind: 'jwt', authorization: null });
  });

  it('accepts a JSON body like a form body, and issues opaque tokens on request', async () => {
    const res = await token({ grant_type: 'password', username: 'bob', password: 'builder', token_format: 'opaque' }, {}, true);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toMatch(/^jnc_at_[\w-]{22}\.[\w-]{43}$/);
    const { body } = await whoami(res.body.access_token);
    expect(body.data.whoami).toMatchObject({ subject: '2', name: 'Bob Builder', roles: 'customer', tokenKind: 'opaque' });
  });

  it('narrows scopes on request and refuses scopes the user does not have (invalid_scope)', async () => {
    const narrow = await token({ grant_type: 'password', username: 'alice', password: 'wonderland', scope: 'orders:read' });
    expect(narrow.body.scope).toBe('orders:read');
    const wide = await token({ grant_type: 'password', username: 'bob', password: 'builder', scope: 'orders:read users:read' });
    expect(wide.status).toBe(400);
    expect(wide.body).toEqual({ error: 'invalid_scope', error_description: 'Scope not granted: users:read' });
  });

  it('client_credentials issues a token for the client only (no user, no refresh token), with HTTP Basic or body credentials', async () => {
    const viaBasic = await token({ grant_type: 'client_credentials' }, { authorization: basic('inventory-service', 'inventory-secret') });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body.refresh_token).toBeUndefined();
    expect(viaBasic.body.scope).toBe('orders:read users:read');
    const { body } = await whoami(viaBasic.body.access_token);
    expect(body.data.whoami).toMatchObject({ subject: null, clientId: 'inventory-service', roles: 'service' });
    const viaBody = await token({ grant_type: 'client_credentials', client_id: 'inventory-service', client_secret: 'inventory-secret', token_format: 'opaque' });
    expect(viaBody.status).toBe(200);
    expect((await whoami(viaBody.body.access_token)).body.data.whoami).toMatchObject({ clientId: 'inventory-service', tokenKind: 'opaque' });
  });

  it('refuses bad client credentials with 401 invalid_client (and a Basic challenge), and public clients with unauthorized_client', async () => {
    const wrong = await token({ grant_type: 'client_credentials' }, { authorization: basic('inventory-service', 'guess') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="junction"');
    expect(wrong.body.error).toBe('invalid_client');
    const none = await token({ grant_type: 'client_credentials' });
    expect([none.status, none.body.error]).toEqual([401, 'invalid_client']);
    const publicClient = await token({ grant_type: 'client_credentials', client_id: 'demo-web' });
    expect([publicClient.status, publicClient.body.error]).toEqual([401, 'invalid_client']);
    const both = await token({ grant_type: 'client_credentials', client_secret: 'x' }, { authorization: basic('inventory-service', 'inventory-secret') });
    expect([both.status, both.body.error]).toEqual([400, 'invalid_request']);
  });

  it('rotates the refresh token on every use; re-using an old one revokes the whole session, access tokens included', async () => {
    const first = await login(gw.url);
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, token_format: 'opaque' });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    const third = await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token });
    expect(third.status).toBe(200);
    for (const t of [first.access_token, second.body.access_token, third.body.access_token]) expect((await whoami(t)).status).toBe(200);

    const replay = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(replay.body.error_description).toMatch(/already used; its whole session has been revoked/);
    for (const t of [first.access_token, second.body.access_token, third.body.access_token]) expect((await whoami(t)).status).toBe(401);
    const latest = await token({ grant_type: 'refresh_token', refresh_token: third.body.refresh_token });
    expect(latest.body.error).toBe('invalid_grant');
  });

  it('binds a refresh token to its client and refuses scope changes on refresh', async () => {
    const session = await login(gw.url, 'bob', 'builder', { client_id: 'demo-web' });
    const otherClient = await token({ grant_type: 'refresh_token', refresh_token: session.refresh_token, client_id: 'inventory-service' });
    expect(otherClient.body).toMatchObject({ error: 'invalid_grant', error_description: 'The refresh token was issued to another client' });
    const noClient = await token({ grant_type: 'refresh_token', refresh_token: session.refresh_token });
    expect(noClient.body.error).toBe('invalid_grant');
    const narrower = await token({ grant_type: 'refresh_token', refresh_token: session.refresh_token, client_id: 'demo-web', scope: 'orders:read' });
    expect(narrower.body.error).toBe('invalid_scope');
    const ok = await token({ grant_type: 'refresh_token', refresh_token: session.refresh_token, client_id: 'demo-web' });
    expect(ok.status).toBe(200);
    expect((await whoami(ok.body.access_token)).body.data.whoami.clientId).toBe('demo-web');
  });

  it('refuses an access token at the refresh grant, and a refresh token as an access token', async () => {
    const session = await login(gw.url);
    const jwtAsRefresh = await token({ grant_type: 'refresh_token', refresh_token: session.access_token });
    expect(jwtAsRefresh.body.error).toBe('invalid_grant');
    const opaque = await login(gw.url, 'alice', 'wonderland', { token_format: 'opaque' });
    const opaqueAsRefresh = await token({ grant_type: 'refresh_token', refresh_token: opaque.access_token });
    expect(opaqueAsRefresh.body.error).toBe('invalid_grant');
    const refreshAsAccess = await whoami(session.refresh_token);
    expect(refreshAsAccess.status).toBe(401);
    expect(refreshAsAccess.body.errors[0].extensions.reason).toBe('wrong_token_type');
  });

  it('revokes access tokens of both kinds and refresh tokens (RFC 7009), effective on the very next request', async () => {
    const revoke = (t: string, headers?: Record<string, string>) => postForm(`${gw.url}/auth/revoke`, { token: t }, headers);
    const jwt = await login(gw.url);
    expect((await revoke(jwt.access_token)).status).toBe(200);
    expect((await whoami(jwt.access_token)).body.errors[0].extensions.reason).toBe('revoked');
    // The session lives on: its refresh token still works.
    expect((await token({ grant_type: 'refresh_token', refresh_token: jwt.refresh_token })).status).toBe(200);

    const opaque = await login(gw.url, 'bob', 'builder', { token_format: 'opaque' });
    expect((await revoke(opaque.access_token)).status).toBe(200);
    expect((await whoami(opaque.access_token)).body.errors[0].extensions.reason).toBe('inactive');

    const family = await login(gw.url, 'bob', 'builder', { token_format: 'opaque' });
    expect((await revoke(family.refresh_token)).status).toBe(200);
    expect((await whoami(family.access_token)).status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: family.refresh_token })).body.error).toBe('invalid_grant');

    expect((await revoke('not-a-token')).status).toBe(200);
    expect((await postForm(`${gw.url}/auth/revoke`, {})).body.error).toBe('invalid_request');
    const other = await login(gw.url);
    const foreign = await revoke(other.access_token, { authorization: basic('inventory-service', 'inventory-secret') });
    expect([foreign.status, foreign.body.error]).toEqual([400, 'unauthorized_client']);
  });

  it('introspects tokens for authenticated backends only (RFC 7662)', async () => {
    const introspect = (t: string, headers: Record<string, string>) => postForm(`${gw.url}/auth/introspect`, { token: t }, headers);
    const backoffice = { authorization: basic('backoffice', 'backoffice-secret') };
    const jwt = await login(gw.url);
    const anonymous = await introspect(jwt.access_token, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic realm="junction"');
    const lacking = await introspect(jwt.access_token, { authorization: basic('inventory-service', 'inventory-secret') });
    expect([lacking.status, lacking.body.error]).toEqual([403, 'insufficient_scope']);

    const active = await introspect(jwt.access_token, backoffice);
    expect(active.body).toMatchObject({ active: true, token_type: 'Bearer', token_kind: 'jwt', sub: '1', scope: 'orders:read orders:write users:read', iss: 'junction', roles: ['admin'] });
    expect(active.body.exp).toBeGreaterThan(Date.now() / 1000);
    const opaque = await login(gw.url, 'bob', 'builder', { token_format: 'opaque' });
    expect((await introspect(opaque.access_token, backoffice)).body).toMatchObject({ active: true, token_kind: 'opaque', sub: '2' });
    expect((await introspect(opaque.refresh_token, backoffice)).body).toMatchObject({ active: true, token_type: 'refresh_token', sub: '2' });
    await postForm(`${gw.url}/auth/revoke`, { token: opaque.refresh_token });
    expect((await introspect(opaque.access_token, backoffice)).body).toEqual({ active: false });
    expect((await introspect('garbage', backoffice)).body).toEqual({ active: false });

    // A bearer token with the introspection scope works as well.
    const service = await token({ grant_type: 'client_credentials', client_id: 'backoffice', client_secret: 'backoffice-secret' });
    expect((await introspect(jwt.access_token, { authorization: `Bearer ${service.body.access_token}` })).body.active).toBe(true);
  });

  it('applies changed scopes and roles to opaque tokens on their next request, and to JWTs on their next refresh', async () => {
    const opaque = await login(gw.url, 'bob', 'builder', { token_format: 'opaque' });
    const jwt = await login(gw.url, 'bob', 'builder');
    const update = await postForm(`${gw.url}/auth/sessions/update`, { subject: '2', scope: 'orders:read', roles: 'customer vip' }, { authorization: basic('backoffice', 'backoffice-secret') });
    expect(update.status).toBe(200);
    expect(update.body.updated).toBeGreaterThanOrEqual(2);
    expect((await whoami(opaque.access_token)).body.data.whoami).toMatchObject({ scopes: 'orders:read', roles: 'customer vip' });
    expect((await whoami(jwt.access_token)).body.data.whoami.scopes).toBe('orders:read orders:write');
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: jwt.refresh_token });
    expect(refreshed.body.scope).toBe('orders:read');
    expect((await whoami(refreshed.body.access_token)).body.data.whoami.roles).toBe('customer vip');

    const everywhere = await postForm(`${gw.url}/auth/sessions/revoke`, { subject: '2' }, { authorization: basic('backoffice', 'backoffice-secret') });
    expect(everywhere.body.revoked).toBeGreaterThanOrEqual(2);
    expect((await whoami(opaque.access_token)).status).toBe(401);
    expect((await whoami(refreshed.body.access_token)).status).toBe(401);
    const forbidden = await postForm(`${gw.url}/auth/sessions/revoke`, { subject: '1' }, { authorization: basic('inventory-service', 'inventory-secret') });
    expect(forbidden.status).toBe(403);
  });

  it('answers malformed token requests with the RFC 6749 error codes', async () => {
    const cases: Array<[Record<string, string>, number, string]> = [
      [{}, 400, 'invalid_request'],
      [{ grant_type: 'authorization_code', code: 'x' }, 400, 'unsupported_grant_type'],
      [{ grant_type: 'password', username: 'alice' }, 400, 'invalid_request'],
      [{ grant_type: 'password', username: 'alice', password: 'wrong' }, 400, 'invalid_grant'],
      [{ grant_type: 'password', username: 'alice', password: 'wonderland', token_format: 'saml' }, 400, 'invalid_request'],
      [{ grant_type: 'refresh_token' }, 400, 'invalid_request'],
      [{ grant_type: 'refresh_token', refresh_token: 'jnc_rt_AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 400, 'invalid_grant'],
    ];
    for (const [params, status, error] of cases) {
      const res = await token(params);
      expect([res.status, res.body.error], JSON.stringify(params)).toEqual([status, error]);
      expect(res.body.error_description).toEqual(expect.any(String));
    }
    const duplicate = await fetch(`${gw.url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&grant_type=password' });
    expect(await duplicate.json()).toEqual({ error: 'invalid_request', error_description: 'Parameter grant_type is given more than once' });
    const text = await fetch(`${gw.url}/auth/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=password' });
    expect(text.status).toBe(415);
    const get = await fetch(`${gw.url}/auth/token`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    const huge = await token({ grant_type: 'password', username: 'alice', password: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
  });

  it('publishes its public signing keys at /.well-known/jwks.json', async () => {
    const res = await fetch(`${gw.url}/.well-known/jwks.json`);
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
    const { keys } = await res.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0].d).toBeUndefined();
    const session = await login(gw.url);
    expect(decodeProtectedHeader(session.access_token).kid).toBe(keys[0].kid);
  });
});

describe('token endpoints without an auth service', () => {
  it('answers the password grant with unsupported_grant_type naming the missing setting', async () => {
    await using fleet = await startAuthFleet();
    await using gw = await startGateway({ registry: fleet.registry.dir });
    const res = await postForm(`${gw.url}/auth/token`, { grant_type: 'password', username: 'alice', password: 'wonderland' });
    expect(res.body).toEqual({ error: 'unsupported_grant_type', error_description: 'The password grant needs the backend auth service (auth.authService.url), which is not configured' });
  });

  it('answers 503 temporarily_unavailable while the auth service is down', async () => {
    await using fleet = await startAuthFleet();
    await using gw = await startGateway({ registry: fleet.registry.dir, auth: { authService: { url: fleet.authUrl } } });
    fleet.mocks.auth![0]!.setFault('down');
    const res = await postForm(`${gw.url}/auth/token`, { grant_type: 'password', username: 'alice', password: 'wonderland' });
    expect([res.status, res.body.error, res.headers.get('retry-after')]).toEqual([503, 'temporarily_unavailable', '1']);
  });
});
