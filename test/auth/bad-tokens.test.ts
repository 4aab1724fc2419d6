import { generateKeyPairSync } from 'node:crypto';
import { connect } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { b64, goodClaims, keyDir, login, nowSeconds, rawSignES256, sign, startAuthFleet, WHOAMI, type AuthFleet, type KeyDir, type TestKey } from './auth-helpers.js';

describe('bad bearer tokens', () => {
  let fleet: AuthFleet;
  let keys: KeyDir;
  let key: TestKey;
  let gw: RunningGateway;
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const header = (extra: Record<string, unknown> = {}) => ({ alg: 'ES256', kid: 'k1', typ: 'at+jwt', ...extra });
  const call = (authorization: string) => gw.query(WHOAMI, undefined, { authorization });

  beforeAll(async () => {
    fleet = await startAuthFleet();
    keys = await keyDir();
    key = await keys.key('k1');
    gw = await startGateway({
      registry: fleet.registry.dir,
      auth: { authService: { url: fleet.authUrl }, jwt: { keys: [{ kid: 'k1', privateKeyFile: key.privateFile }] } },
    });
  });
  afterAll(async () => {
    await gw?.[Symbol.asyncDispose]();
    await fleet?.[Symbol.asyncDispose]();
    await keys?.[Symbol.asyncDispose]();
  });

  it('accepts a well-formed token signed with the configured key (the baseline the cases below break)', async () => {
    const { status, body } = await call(`Bearer ${await sign(key.privateKey, header(), goodClaims())}`);
    expect(status).toBe(200);
    expect(body.data.whoami.subject).toBe('1');
  });

  const cases: Array<[string, () => Promise<string>, string]> = [
    ['alg: none', async () => `${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${b64(goodClaims())}.`, 'algorithm_not_allowed'],
    ['HS256 signed with the public key (algorithm confusion)', async () => {
      const secret = Buffer.from(key.publicKey.export({ type: 'spki', format: 'pem' }));
      return new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' }).sign(secret);
    }, 'algorithm_not_allowed'],
    ['an unknown kid', () => sign(other, header({ kid: 'k2' }), goodClaims()), 'unknown_key'],
    ['a kid with a path', () => sign(other, header({ kid: '../../../../etc/passwd' }), goodClaims()), 'unknown_key'],
    ['a kid with SQL', () => sign(other, header({ kid: "k1' OR '1'='1" }), goodClaims()), 'unknown_key'],
    ['the right kid but another key', () => sign(other, header(), goodClaims()), 'bad_signature'],
    ['a crit header the gateway does not understand', async () => rawSignES256(key.privateKey, header({ crit: ['x-junction-policy'], 'x-junction-policy': 1 }), goodClaims()), 'unsupported'],
    ['a wrong iss', () => sign(key.privateKey, header(), goodClaims({ iss: 'https://evil.example' })), 'untrusted_issuer'],
    ['a wrong aud', () => sign(key.privateKey, header(), goodClaims({ aud: 'another-api' })), 'wrong_audience'],
    ['an expired token', () => sign(key.privateKey, header(), goodClaims({ iat: nowSeconds() - 900, nbf: nowSeconds() - 900, exp: nowSeconds() - 60 })), 'expired'],
    ['a future nbf', () => sign(key.privateKey, header(), goodClaims({ nbf: nowSeconds() + 600, exp: nowSeconds() + 900 })), 'not_yet_valid'],
    ['no typ at+jwt (e.g. an identity token or ID token)', () => sign(key.privateKey, header({ typ: 'JWT' }), goodClaims()), 'wrong_token_type'],
    ['no jti', () => sign(key.privateKey, header(), goodClaims({ jti: undefined })), 'invalid_claims'],
    ['roles that are not a list of strings', () => sign(key.privateKey, header(), goodClaims({ roles: 'admin' })), 'invalid_claims'],
    ['a payload edited after signing', async () => {
      const [h, , s] = (await sign(key.privateKey, header(), goodClaims())).split('.');
      return `${h}.${b64(goodClaims({ roles: ['superuser'] }))}.${s}`;
    }, 'bad_signature'],
    ['garbage in base64url alphabet', async () => 'not.base64.json', 'malformed'],
    ['a JWT whose header is not JSON', async () => `${Buffer.from('{nope').toString('base64url')}.${b64(goodClaims())}.c2ln`, 'malformed'],
    ['an opaque token of the right shape that was never issued', async () => `jnc_at_${'A'.repeat(22)}.${'B'.repeat(43)}`, 'inactive'],
    ['an opaque token of the wrong shape', async () => 'jnc_at_short', 'malformed'],
    ['a token over maxTokenBytes (12 kB)', async () => 'a'.repeat(12_000), 'too_large'],
  ];

  it.each(cases)('refuses %s with 401, an RFC 6750 challenge and UNAUTHENTICATED', async (_name, make, reason) => {
    const { status, body } = await call(`Bearer ${await make()}`);
    expect(status).toBe(401);
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
    expect(body.data).toBeUndefined();
  });

  it('sends the WWW-Authenticate challenge with the reason, and no detail of the cause', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(other, header(), goodClaims())}` },
      body: JSON.stringify({ query: WHOAMI }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="junction", error="invalid_token", error_description="The access token signature is invalid"');
    expect(await res.json()).toMatchInlineSnapshot(`
      {
        "errors": [
          {
            "extensions": {
              "code": "UNAUTHENTICATED",
              "reason": "bad_signature",
            },
            "message": "The access token signature is invalid",
          },
        ],
      }
    `);
  });

  it('accepts the scheme in any case (bearer, BEARER)', async () => {
    const token = await sign(key.privateKey, header(), goodClaims());
    expect((await call(`bearer ${token}`)).status).toBe(200);
    expect((await call(`BEARER ${token}`)).status).toBe(200);
  });

  it('answers other schemes with 401 and a plain Bearer challenge, and a bare "Bearer" or non-token characters with 400', async () => {
    const basic = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic YWxpY2U6d29uZGVybGFuZA==' }, body: JSON.stringify({ query: WHOAMI }) });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Bearer realm="junction"');
    for (const value of ['Bearer', 'Bearer %%%', 'Bearer a b']) {
      const { status, body } = await call(value);
      expect([status, body.errors[0].extensions.reason], value).toEqual([400, 'invalid_request']);
    }
  });

  it('answers two Authorization headers with 400 invalid_request', async () => {
    const token = await sign(key.privateKey, header(), goodClaims());
    const body = JSON.stringify({ query: WHOAMI });
    const { port } = new URL(gw.url);
    const raw = await new Promise<string>((resolve, reject) => {
      let answer = '';
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /graphql HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nAuthorization: Bearer other\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      });
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw.toLowerCase()).toContain('www-authenticate: bearer realm="junction", error="invalid_request"');
  });

  it('refuses a 100 kB token at the HTTP layer (431) and keeps serving everyone else', async () => {
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(100_000)}` }, body: '{}' }).catch((e: Error) => e);
    if (res instanceof Error) expect(res.message).toMatch(/fetch failed|socket/);
    else expect(res.status).toBe(431);
    const session = await login(gw.url);
    expect((await call(`Bearer ${session.access_token}`)).status).toBe(200);
    expect((await gw.query('{ user(id: "2") { name } }')).body).toEqual({ data: { user: { name: 'Bob Builder' } } });
  });
});

describe('anonymous requests', () => {
  it('run as the anonymous viewer by default, and get 401 with a Bearer challenge when auth.allowAnonymous is false', async () => {
    await using fleet = await startAuthFleet();
    await using open = await startGateway({ registry: fleet.registry.dir });
    expect((await open.query(WHOAMI)).body.data.whoami).toMatchObject({ subject: null, tokenKind: null });
    await using closed = await startGateway({ registry: fleet.registry.dir, auth: { allowAnonymous: false } });
    const res = await fetch(`${closed.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: WHOAMI }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="junction"');
    expect((await res.json()).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing' });
    // yoga also runs GraphQL on other paths ending in /graphql: they are guarded the same way.
    const elsewhere = await fetch(`${closed.url}/some/where/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: WHOAMI }) });
    expect(elsewhere.status).toBe(401);
    const badElsewhere = await fetch(`${open.url}/x/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' }, body: JSON.stringify({ query: WHOAMI }) });
    expect(badElsewhere.status).toBe(401);
    // The GraphiQL page itself runs no operation, so it still opens (the user then sets a token header).
    const page = await fetch(`${closed.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });
});
