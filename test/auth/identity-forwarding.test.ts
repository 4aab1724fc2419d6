import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, sendJson, type RunningMock } from '../../services-mock/mock-server.js';
import { encodeHeaderValue } from '../../src/auth/index.js';
import { startGateway } from '../helpers/gateway.js';
import { login, postForm, startAuthFleet, WHOAMI, type AuthFleet } from './auth-helpers.js';
import { authInProcess } from './in-process.js';

const SPOOFED = { 'x-junction-subject': '1', 'x-junction-roles': 'admin', 'x-junction-scopes': 'orders:write', 'x-junction-identity': 'forged' };

describe('verified identity for upstream services', () => {
  let fleet: AuthFleet;
  let rest: RunningMock;
  beforeAll(async () => {
    fleet = await startAuthFleet();
    // A REST service that answers with the identity headers it received.
    rest = await startMockServer('restecho', (req, res) =>
      sendJson(res, 200, { subject: req.headers['x-junction-subject'] ?? null, scopes: req.headers['x-junction-scopes'] ?? null }),
    );
    await fleet.registry.write('restecho/service.yaml', `name: restecho\nkind: rest\nendpoints:\n  - url: ${rest.url}\n`);
    await fleet.registry.write('restecho/schema.graphql', 'type RestIdentity { subject: String scopes: String }\ntype Query { restWhoami: RestIdentity @http(path: "/whoami") }\n');
  });
  afterAll(async () => {
    await fleet?.[Symbol.asyncDispose]();
    await rest?.close();
  });
  const gateway = (mode?: 'headers' | 'jwt' | 'both' | 'none') =>
    startGateway({ registry: fleet.registry.dir, auth: { authService: { url: fleet.authUrl }, ...(mode ? { forwardIdentity: { mode } } : {}) } });

  it('sends x-junction-* identity headers to GraphQL and REST services, and never the client token', async () => {
    await using gw = await gateway();
    const { access_token } = await login(gw.url, 'bob', 'builder', { client_id: 'demo-web' });
    const { body } = await gw.query(`{ restWhoami { subject scopes } ${WHOAMI.slice(1, -1)} }`, undefined, { authorization: `Bearer ${access_token}` });
    expect(body.data.whoami).toEqual({
      subject: '2', name: 'Bob Builder', roles: 'customer', scopes: 'orders:read orders:write', clientId: 'demo-web', tokenKind: 'jwt',
      issuer: null, identity: null, authorization: null,
    });
    expect(body.data.restWhoami).toEqual({ subject: '2', scopes: 'orders:read orders:write' });
  });

  it('strips identity headers a client sends itself, anonymous or authenticated', async () => {
    await using gw = await gateway('both');
    const anonymous = await gw.query(`{ restWhoami { subject } ${WHOAMI.slice(1, -1)} }`, undefined, SPOOFED);
    expect(anonymous.body.data.whoami).toMatchObject({ subject: null, roles: null, scopes: null, identity: null });
    expect(anonymous.body.data.restWhoami).toEqual({ subject: null });
    const { access_token } = await login(gw.url, 'bob', 'builder');
    const bob = await gw.query(WHOAMI, undefined, { ...SPOOFED, authorization: `Bearer ${access_token}` });
    expect(bob.body.data.whoami).toMatchObject({ subject: '2', roles: 'customer', scopes: 'orders:read orders:write' });
    expect(bob.body.data.whoami.identity).not.toBe('forged');
  });

  it('removes them from the request before any other module can read it', async () => {
    await using gw = await authInProcess({});
    const res = await gw.graphql('{ a: header(name: "x-junction-subject") b: header(name: "x-junction-identity") c: header(name: "x-other") }', { ...SPOOFED, 'x-other': 'kept' });
    expect(res.body.data).toEqual({ a: null, b: null, c: 'kept' });
  });

  it('in jwt mode sends one signed identity token that services verify with the gateway JWKS', async () => {
    await using gw = await gateway('jwt');
    const { access_token } = await login(gw.url, 'alice', 'wonderland');
    const { whoami } = (await gw.query(WHOAMI, undefined, { authorization: `Bearer ${access_token}` })).body.data;
    expect(whoami).toMatchObject({ subject: null, scopes: null, identity: expect.any(String) });
    const jwks = await (await fetch(`${gw.url}/.well-known/jwks.json`)).json();
    const { payload, protectedHeader } = await jwtVerify(whoami.identity, createLocalJWKSet(jwks), { issuer: 'junction', audience: 'junction-services', typ: 'identity+jwt' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: '1', scope: 'orders:read orders:write users:read', roles: ['admin'], token_kind: 'jwt' });
    expect(payload.exp! - payload.iat!).toBe(60);
    // An identity token is not an access token: it cannot be replayed against the gateway.
    const replay = await gw.query(WHOAMI, undefined, { authorization: `Bearer ${whoami.identity}` });
    expect(replay.body.errors[0].extensions.reason).toBe('wrong_token_type');
  });

  it('forwards nothing in none mode', async () => {
    await using gw = await gateway('none');
    const { access_token } = await login(gw.url);
    expect((await gw.query(WHOAMI, undefined, { authorization: `Bearer ${access_token}` })).body.data.whoami).toMatchObject({ subject: null, identity: null });
  });

  it('forwards client-credentials identities as a client id without a subject', async () => {
    await using gw = await gateway();
    const res = await postForm(`${gw.url}/auth/token`, { grant_type: 'client_credentials', client_id: 'inventory-service', client_secret: 'inventory-secret', token_format: 'opaque' });
    const { whoami } = (await gw.query(WHOAMI, undefined, { authorization: `Bearer ${res.body.access_token}` })).body.data;
    expect(whoami).toMatchObject({ subject: null, clientId: 'inventory-service', roles: 'service', tokenKind: 'opaque' });
  });

  it('with auth.enabled false treats every request as anonymous, serves no token routes, and still strips identity headers', async () => {
    await using gw = await startGateway({ registry: fleet.registry.dir, auth: { enabled: false } });
    const res = await gw.query(`{ restWhoami { subject } ${WHOAMI.slice(1, -1)} }`, undefined, { ...SPOOFED, authorization: 'Bearer whatever' });
    expect(res.status).toBe(200);
    expect(res.body.data.whoami).toMatchObject({ subject: null, roles: null, identity: null });
    expect(res.body.data.restWhoami).toEqual({ subject: null });
    expect((await postForm(`${gw.url}/auth/token`, { grant_type: 'password', username: 'alice', password: 'wonderland' }, {}, true)).status).toBe(404);
  });

  it('percent-encodes what cannot travel in a header, so decodeURIComponent restores it', () => {
    expect(encodeHeaderValue('Zoë Ångström')).toBe('Zo%C3%AB %C3%85ngstr%C3%B6m');
    expect(encodeHeaderValue('a\r\nx-evil: 1')).toBe('a%0D%0Ax-evil: 1');
    expect(encodeHeaderValue(' 100% ')).toBe('%20100%25%20');
    expect(encodeHeaderValue('beta tester', true)).toBe('beta%20tester');
    expect(encodeHeaderValue('a,b', true)).toBe('a%2Cb');
    for (const value of ['Zoë Ångström', 'a\r\nb', ' 100% ', '😀']) expect(decodeURIComponent(encodeHeaderValue(value, true))).toBe(value);
  });
});
