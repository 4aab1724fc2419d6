import { describe, expect, it } from 'vitest';
import { type AuthenticationError, createTokenStore, loadKeyRing } from '../../src/auth/index.js';
import { createAuthenticator } from '../../src/auth/authenticator.js';
import { createJwtIssuer } from '../../src/auth/jwt-issuer.js';
import { createJwtVerifier, type JwtVerifier } from '../../src/auth/jwt-verifier.js';
import { mintOpaqueToken } from '../../src/auth/opaque-tokens.js';
import { resolveConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/telemetry/index.js';

const logger = createLogger({ level: 'silent' });
const T0 = 1_800_000_000_000;

/** The real verifier and memory store, with the verifier and the store lookups counted. */
async function setup(options: { jwtCacheSize?: number; opaqueCacheMs?: number } = {}) {
  let now = T0;
  const clock = () => now;
  const keyRing = await loadKeyRing({ config: resolveConfig({}).auth.jwt, logger: createLogger({ level: 'silent' }) });
  const issuer = createJwtIssuer({ keyRing, issuer: 'junction', audience: 'junction', identityAudience: 'svc', identityTtlSeconds: 60 });
  const real = createJwtVerifier({ keyRing, issuer: 'junction', audience: 'junction', clockToleranceSeconds: 0, external: [], now: clock });
  const counts = { verify: 0, lookups: 0 };
  const verifyJwt: JwtVerifier = (token) => {
    counts.verify++;
    return real(token);
  };
  const store = createTokenStore({ logger, now: clock });
  const findAccess = store.findAccess.bind(store);
  store.findAccess = (id, hash) => {
    counts.lookups++;
    return findAccess(id, hash);
  };
  const authenticator = createAuthenticator({ verifyJwt, store, maxTokenBytes: 8192, opaqueCacheMs: options.opaqueCacheMs ?? 0, jwtCacheSize: options.jwtCacheSize ?? 100, issuer: 'junction', now: clock });
  const jwt = (jti: string) => issuer.signAccessToken({ claims: { subject: '1', roles: [], scopes: [] }, jti, grant: 'password', issuedAt: now, expiresAt: now + 60_000 });
  return { authenticator, store, counts, jwt, advance: (ms: number) => void (now += ms) };
}

const reason = (promise: Promise<unknown>) => promise.then(() => 'ok', (e: AuthenticationError) => e.reason);

describe('authenticator caches', () => {
  it('checks a repeated JWT signature once, yet applies revocation and expiry on every request', async () => {
    const { authenticator, store, counts, jwt, advance } = await setup();
    const token = await jwt('j1');
    for (let i = 0; i < 3; i++) expect((await authenticator.authenticate(`Bearer ${token}`))!.subject).toBe('1');
    expect(counts.verify).toBe(1);
    await store.denyJwt('j1', T0 + 60_000);
    expect(await reason(authenticator.authenticate(`Bearer ${token}`))).toBe('revoked');
    const other = await jwt('j2');
    await authenticator.authenticate(`Bearer ${other}`);
    advance(60_000);
    expect(await reason(authenticator.authenticate(`Bearer ${other}`))).toBe('expired');
  });

  it('verifies every time with jwtCacheSize 0', async () => {
    const { authenticator, counts, jwt } = await setup({ jwtCacheSize: 0 });
    const token = await jwt('j1');
    for (let i = 0; i < 3; i++) await authenticator.authenticate(`Bearer ${token}`);
    expect(counts.verify).toBe(3);
  });

  it('asks the store for every opaque request by default, and at most once per opaqueCacheMs when set', async () => {
    for (const [opaqueCacheMs, expected] of [[0, 3], [1_000, 1]] as const) {
      const { authenticator, store, counts, advance } = await setup({ opaqueCacheMs });
      const { token, hash } = mintOpaqueToken('at', 'AAAAAAAAAAAAAAAAAAAAAA');
      await store.createSession({ id: 'AAAAAAAAAAAAAAAAAAAAAA', claims: { roles: [], scopes: [] }, grant: 'client_credentials', authTime: T0, expiresAt: T0 + 60_000 }, { kind: 'opaque', hash, expiresAt: T0 + 60_000 });
      for (let i = 0; i < 3; i++) await authenticator.authenticate(`Bearer ${token}`);
      expect(counts.lookups, `opaqueCacheMs ${opaqueCacheMs}`).toBe(expected);
      await store.revokeAccess('AAAAAAAAAAAAAAAAAAAAAA', hash);
      advance(opaqueCacheMs + 1);
      expect(await reason(authenticator.authenticate(`Bearer ${token}`))).toBe('inactive');
    }
  });
});
