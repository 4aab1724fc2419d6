import { PassThrough } from 'node:stream';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyRing } from '../../src/auth/index.js';
import { resolveConfig, type GatewayConfigInput } from '../../src/config/index.js';
import { createLogger } from '../../src/telemetry/index.js';
import { startGateway } from '../helpers/gateway.js';
import { keyDir, login, startAuthFleet, WHOAMI, type AuthFleet, type KeyDir } from './auth-helpers.js';

const silent = createLogger({ level: 'silent' });
const jwtConfig = (jwt: NonNullable<GatewayConfigInput['auth']>['jwt']) => resolveConfig({ auth: { jwt } }).auth.jwt;

describe('signing keys', () => {
  let keys: KeyDir;
  beforeAll(async () => {
    keys = await keyDir();
  });
  afterAll(async () => {
    await keys?.[Symbol.asyncDispose]();
  });

  it('reads PEM files and JWKs from environment variables, signs with the first private key and publishes every public key', async () => {
    const newest = await keys.key('2026-11');
    const older = await keys.key('2026-10', 'ed25519');
    const ring = await loadKeyRing({
      config: jwtConfig({
        keys: [
          { kid: '2026-11', privateKeyEnv: 'JWT_NEW' },
          { kid: '2026-10', algorithm: 'EdDSA', publicKeyFile: older.publicFile },
        ],
      }),
      logger: silent,
      env: { JWT_NEW: JSON.stringify(newest.privateKey.export({ format: 'jwk' })) },
    });
    expect(ring.signer.kid).toBe('2026-11');
    expect(ring.generated).toBe(false);
    expect(ring.algorithms).toEqual(['ES256', 'EdDSA']);
    expect(ring.jwks.keys.map((k) => [k.kid, k.alg, k.kty, 'd' in k])).toEqual([
      ['2026-11', 'ES256', 'EC', false],
      ['2026-10', 'EdDSA', 'OKP', false],
    ]);
  });

  it('generates a development key when none is configured and says so in a warning', async () => {
    const lines: string[] = [];
    const stream = new PassThrough().on('data', (d: Buffer) => lines.push(d.toString()));
    const ring = await loadKeyRing({ config: jwtConfig({}), logger: createLogger({ level: 'info', destination: stream }) });
    expect(ring.generated).toBe(true);
    expect(ring.signer.kid).toMatch(/^dev-[0-9a-f]{12}$/);
    const warning = JSON.parse(lines.join(''));
    expect(warning).toMatchObject({ level: 'warn', kid: ring.signer.kid, algorithm: 'ES256' });
    expect(warning.msg).toMatch(/^DEVELOPMENT SIGNING KEY: .*Configure auth\.jwt\.keys/);
  });

  it('refuses keys that do not fit their algorithm, missing files and variables, duplicate kids and a ring with no private key', async () => {
    const rsa = await keys.key('rsa', 'rsa');
    const ec = await keys.key('ec');
    const attempt = (jwt: Parameters<typeof jwtConfig>[0], env: NodeJS.ProcessEnv = {}) => loadKeyRing({ config: jwtConfig(jwt), logger: silent, env });
    await expect(attempt({ keys: [{ kid: 'a', algorithm: 'ES256', privateKeyFile: rsa.privateFile }] })).rejects.toThrow(
      /auth\.jwt\.keys\[0\]: algorithm ES256 needs an EC P-256 key, but this is an RSA 2048-bit key/,
    );
    await expect(attempt({ keys: [{ kid: 'a', privateKeyFile: '/nonexistent/key.pem' }] })).rejects.toThrow(/auth\.jwt\.keys\[0\]: cannot read key file \/nonexistent\/key\.pem: ENOENT/);
    await expect(attempt({ keys: [{ kid: 'a', privateKeyEnv: 'UNSET_KEY' }] })).rejects.toThrow(/environment variable UNSET_KEY is not set/);
    await expect(attempt({ keys: [{ kid: 'a', privateKeyEnv: 'K' }] }, { K: 'not a key' })).rejects.toThrow(/cannot read the private key/);
    await expect(attempt({ keys: [{ kid: 'a', privateKeyFile: ec.privateFile }, { kid: 'a', publicKeyFile: ec.publicFile }] })).rejects.toThrow(/kid "a" is used twice/);
    await expect(attempt({ keys: [{ kid: 'a', publicKeyFile: ec.publicFile }] })).rejects.toThrow(/no key has a private key/);
    expect(() => jwtConfig({ keys: [{ kid: 'a', privateKeyFile: 'x', publicKeyFile: 'y' }] })).toThrow(/set exactly one of privateKeyFile/);
    expect(() => jwtConfig({ keys: [{ kid: 'a', algorithm: 'HS256' as 'ES256', privateKeyFile: 'x' }] })).toThrow(/algorithm/);
  });
});

describe('key rotation across gateway restarts', () => {
  let fleet: AuthFleet;
  let keys: KeyDir;
  beforeAll(async () => {
    fleet = await startAuthFleet();
    keys = await keyDir();
  });
  afterAll(async () => {
    await fleet?.[Symbol.asyncDispose]();
    await keys?.[Symbol.asyncDispose]();
  });

  it('keeps accepting tokens of the previous key while it is listed, signs with the new one, and refuses them once it is removed', async () => {
    const k1 = await keys.key('k1');
    const k2 = await keys.key('k2', 'rsa');
    const gateway = (keyList: Array<Record<string, string>>) =>
      startGateway({ registry: fleet.registry.dir, auth: { authService: { url: fleet.authUrl }, jwt: { keys: keyList as never } } });
    const whoami = (url: string, token: string) =>
      fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: WHOAMI }) });

    let oldToken: string;
    {
      await using before = await gateway([{ kid: 'k1', privateKeyFile: k1.privateFile }]);
      oldToken = (await login(before.url)).access_token;
    }
    {
      // Step 1 of a rotation: the new key signs, the old one only verifies (its private part may already be destroyed).
      await using during = await gateway([{ kid: 'k2', algorithm: 'RS256', privateKeyFile: k2.privateFile }, { kid: 'k1', publicKeyFile: k1.publicFile }]);
      expect((await whoami(during.url, oldToken)).status).toBe(200);
      const newToken = (await login(during.url)).access_token;
      expect(decodeProtectedHeader(newToken)).toMatchObject({ kid: 'k2', alg: 'RS256' });
      const { keys: published } = await (await fetch(`${during.url}/.well-known/jwks.json`)).json();
      expect(published.map((k: { kid: string }) => k.kid)).toEqual(['k2', 'k1']);
    }
    {
      // Step 2, after the longest access-token lifetime: the old key is removed (k3 keeps ES256 allowed, so the refusal is about the key).
      const k3 = await keys.key('k3');
      await using after = await gateway([{ kid: 'k2', algorithm: 'RS256', privateKeyFile: k2.privateFile }, { kid: 'k3', publicKeyFile: k3.publicFile }]);
      const refused = await whoami(after.url, oldToken);
      expect(refused.status).toBe(401);
      expect((await refused.json()).errors[0].extensions.reason).toBe('unknown_key');
    }
  });
});
