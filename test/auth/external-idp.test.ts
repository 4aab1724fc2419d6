import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../helpers/gateway.js';
import { nowSeconds, postForm, sign, startAuthFleet, WHOAMI, type AuthFleet } from './auth-helpers.js';

interface IdpKey {
  kid: string;
  alg: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A tiny identity provider: serves a JWKS that the test can change, and counts fetches. */
async function startIdp() {
  const make = (kid: string, type: 'rsa' | 'ec'): IdpKey => {
    const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { kid, alg: type === 'rsa' ? 'RS256' : 'ES256', ...pair };
  };
  let published: IdpKey[] = [];
  let fetches = 0;
  let down = false;
  const server: Server = createServer((req, res) => {
    if (down) return void req.socket.destroy();
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg: k.alg, use: 'sig' })) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  return {
    url,
    make,
    publish: (...keys: IdpKey[]) => void (published = keys),
    fetches: () => fetches,
    setDown: (value: boolean) => void (down = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const ISSUER = 'https://idp.example/realms/shop';

describe('external identity providers (JWKS)', () => {
  let fleet: AuthFleet;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: ISSUER, aud: 'junction-api', sub: 'idp-user-7', azp: 'shop-frontend', scope: 'orders:read profile',
    realm_access: { roles: ['customer', 'beta tester'] }, name: 'Zoë Ångström', iat: nowSeconds(), exp: nowSeconds() + 300, ...overrides,
  });
  const gateway = (cooldownSeconds: number) =>
    startGateway({
      registry: fleet.registry.dir,
      auth: {
        external: [{ issuer: ISSUER, jwksUrl: idp.url, audience: 'junction-api', algorithms: ['RS256'], jwksCooldownSeconds: cooldownSeconds, claims: { roles: 'realm_access.roles' } }],
      },
    });
  beforeAll(async () => {
    [fleet, idp] = await Promise.all([startAuthFleet(), startIdp()]);
  });
  afterAll(async () => {
    await fleet?.[Symbol.asyncDispose]();
    await idp?.close();
  });

  it('accepts its tokens and maps their claims onto the viewer', async () => {
    const k1 = idp.make('idp-1', 'rsa');
    idp.publish(k1);
    await using gw = await gateway(0);
    const token = await sign(k1.privateKey, { alg: 'RS256', kid: 'idp-1', typ: 'JWT' }, claims());
    const { status, body } = await gw.query(WHOAMI, undefined, { authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(body.data.whoami).toMatchObject({
      subject: 'idp-user-7', clientId: 'shop-frontend', scopes: 'orders:read profile', roles: 'customer beta%20tester',
      tokenKind: 'external-jwt', issuer: ISSUER, name: 'Zo%C3%AB %C3%85ngstr%C3%B6m',
    });
    const revoke = await postForm(`${gw.url}/auth/revoke`, { token });
    expect([revoke.status, revoke.body.error]).toEqual([400, 'unsupported_token_type']);
  });

  it('enforces the algorithm allow-list, the audience and the clock tolerance', async () => {
    const rsa = idp.make('idp-rsa', 'rsa');
    const ec = idp.make('idp-ec', 'ec');
    idp.publish(rsa, ec);
    await using gw = await gateway(0);
    const reason = async (token: string) => {
      const { status, body } = await gw.query(WHOAMI, undefined, { authorization: `Bearer ${token}` });
      return status === 200 ? 'accepted' : body.errors[0].extensions.reason;
    };
    expect(await reason(await sign(ec.privateKey, { alg: 'ES256', kid: 'idp-ec' }, claims()))).toBe('algorithm_not_allowed');
    expect(await reason(await sign(rsa.privateKey, { alg: 'RS256', kid: 'idp-rsa' }, claims({ aud: 'another-api' })))).toBe('wrong_audience');
    expect(await reason(await sign(rsa.privateKey, { alg: 'RS256', kid: 'idp-rsa' }, claims({ exp: nowSeconds() - 10 })))).toBe('accepted');
    expect(await reason(await sign(rsa.privateKey, { alg: 'RS256', kid: 'idp-rsa' }, claims({ exp: nowSeconds() - 60 })))).toBe('expired');
    expect(await reason(await sign(rsa.privateKey, { alg: 'RS256', kid: 'idp-rsa' }, claims({ iss: 'https://other.example' })))).toBe('untrusted_issuer');
  });

  it('fetches the keys again when the provider rotates to a new kid', async () => {
    const old = idp.make('idp-old', 'rsa');
    idp.publish(old);
    await using gw = await gateway(0);
    const call = async (key: IdpKey) => (await gw.query(WHOAMI, undefined, { authorization: `Bearer ${await sign(key.privateKey, { alg: 'RS256', kid: key.kid }, claims())}` })).status;
    expect(await call(old)).toBe(200);
    const fresh = idp.make('idp-new', 'rsa');
    idp.publish(fresh, old);
    expect(await call(fresh)).toBe(200);
    expect(await call(old)).toBe(200);
  });

  it('fetches at most once per cooldown however many unknown kids arrive', async () => {
    const k = idp.make('idp-k', 'rsa');
    idp.publish(k);
    await using gw = await gateway(30);
    expect((await gw.query(WHOAMI, undefined, { authorization: `Bearer ${await sign(k.privateKey, { alg: 'RS256', kid: 'idp-k' }, claims())}` })).status).toBe(200);
    const before = idp.fetches();
    for (let i = 0; i < 20; i++) {
      const res = await gw.query(WHOAMI, undefined, { authorization: `Bearer ${await sign(k.privateKey, { alg: 'RS256', kid: `made-up-${i}` }, claims())}` });
      expect(res.body.errors[0].extensions.reason).toBe('unknown_key');
    }
    expect(idp.fetches() - before).toBeLessThanOrEqual(1);
  });

  it('answers 503 when the keys cannot be fetched, while cached keys keep working', async () => {
    const k = idp.make('idp-cached', 'rsa');
    idp.publish(k);
    await using gw = await gateway(0);
    const cached = await sign(k.privateKey, { alg: 'RS256', kid: 'idp-cached' }, claims());
    expect((await gw.query(WHOAMI, undefined, { authorization: `Bearer ${cached}` })).status).toBe(200);
    idp.setDown(true);
    try {
      const unknown = await sign(k.privateKey, { alg: 'RS256', kid: 'idp-unseen' }, claims());
      const res = await gw.query(WHOAMI, undefined, { authorization: `Bearer ${unknown}` });
      expect(res.status).toBe(503);
      expect(res.body.errors[0].extensions).toEqual({ code: 'AUTH_UNAVAILABLE', reason: 'jwks_unavailable' });
      expect((await gw.query(WHOAMI, undefined, { authorization: `Bearer ${cached}` })).status).toBe(200);
    } finally {
      idp.setDown(false);
    }
  });
});
